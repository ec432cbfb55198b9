@rule:missed-update @severity:low
Feature: Promised status updates are given
  Background:
    Given a contract with clause "§7.4" "Promised times" covering commitments with grace_minutes 30

  @clause:§7.4
  Scenario: "Next update at 16:30", and nothing until the evening
    Given these events:
      | at            | type         | actor    | text                                                        | data           |
      | Tuesday 14:00 | message.sent | vendor   | Wir arbeiten an der Störung. Nächstes Update um 16:30 Uhr.  | kind=update    |
      | Tuesday 19:00 | message.sent | customer | Wir warten immer noch auf Ihre Nachricht.                   | kind=complaint |
    When pactwatch evaluates the case
    Then a "missed-update" violation is reported
    And it cites clause "§7.4"

  Scenario: The update comes in time, whatever it says
    Given these events:
      | at            | type           | actor  | text                                          | data            |
      | Tuesday 14:00 | message.sent   | vendor | Next update by 16:30.                         | kind=update     |
      | Tuesday 16:40 | status.claimed | vendor | Still investigating, the disk is being replaced. | status=investigating |
    When pactwatch evaluates the case
    Then no "missed-update" violation is reported

  @clause:§7.4
  Scenario: A kept promise does not excuse the next one broken
    Given these events:
      | at            | type           | actor  | text                                                      | data                 |
      | Tuesday 10:00 | status.claimed | vendor | We are investigating. Next update in 30 minutes.          | status=investigating |
      | Tuesday 10:25 | status.claimed | vendor | We found the cause. Next update in 60 minutes.            | status=identified    |
      | Tuesday 13:00 | status.claimed | vendor | A fix has been implemented and we are monitoring it.      | status=monitoring    |
    When pactwatch evaluates the case
    Then a "missed-update" violation is reported
    And it cites clause "§7.4"
