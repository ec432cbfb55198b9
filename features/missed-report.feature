@rule:missed-report @severity:medium
Feature: Promised incident reports are delivered
  A report on the incident, once promised by a date, is owed by that date: the vendor's next
  text that names the cause keeps the promise; a mail that only asks for patience does not.

  Background:
    Given a contract with clause "§7.4" "Promised times" covering commitments with grace_minutes 30

  @clause:§7.4
  Scenario: "A root-cause analysis by Friday", and none the following Monday
    Given these events:
      | at               | type         | actor    | text                                                                        | data           |
      | Tuesday 14:00    | message.sent | vendor   | All services are back. You will receive a root-cause analysis by Friday.    | kind=update    |
      | Thursday 10:00   | message.sent | vendor   | We are still preparing the report and thank you for your patience.          | kind=update    |
      | next Monday 09:00 | message.sent | customer | We are still waiting for the report you promised for Friday.               | kind=complaint |
    When pactwatch evaluates the case
    Then a "missed-report" violation is reported
    And it cites clause "§7.4"

  Scenario: The report names the cause before the promised day
    Given these events:
      | at                | type         | actor  | text                                                                                              | data        |
      | Tuesday 14:00     | message.sent | vendor | Der Dienst läuft wieder. Den Störungsbericht schicken wir Ihnen bis Freitag.                      | kind=update |
      | Thursday 16:00    | message.sent | vendor | Ursache war ein defekter Speichercontroller; wir haben ihn getauscht und überwachen ihn jetzt.    | kind=update |
      | next Monday 09:00 | clock        |        |                                                                                                   |             |
    When pactwatch evaluates the case
    Then no "missed-report" violation is reported
