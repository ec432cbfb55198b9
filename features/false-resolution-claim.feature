@rule:false-resolution-claim @severity:critical
Feature: "Resolved" means verified
  A vendor may claim a problem resolved only after checking the affected services; a
  failing check within verify_window_hours after the claim proves the claim false.

  Background:
    Given a contract with clause "§7.3" "Verified resolution" covering resolution_verification with verify_window_hours 24

  @clause:§7.3
  Scenario: "Fully reachable again" at 20:48, still down at 21:00 and next morning
    Given these events:
      | at            | type         | service        | actor   | text                                                            | data                                 |
      | Monday 17:05  | host.failed  |                | vendor  |                                                                 | host=srv-dedi-17, services=[www.kunde-b.de] |
      | Monday 20:48  | message.sent |                | vendor  | Mittlerweile ist der Server allerdings wieder voll erreichbar. | kind=update                          |
      | Monday 21:00  | probe        | www.kunde-b.de | monitor |                                                                 | check=https, up=false                |
      | Tuesday 07:24 | probe        | www.kunde-b.de | monitor |                                                                 | check=https, up=false                |
    When pactwatch evaluates the case
    Then a "false-resolution-claim" violation is reported for "www.kunde-b.de"
    And it cites clause "§7.3"
    And the summary mentions "wieder voll erreichbar"

  Scenario: The claim was checked and holds
    Given these events:
      | at           | type           | service        | actor   | text                        | data                                     |
      | Monday 20:40 | probe          | www.kunde-b.de | monitor |                             | check=https, up=true                     |
      | Monday 20:48 | status.claimed |                | vendor  | www.kunde-b.de is back up. | status=resolved, services=[www.kunde-b.de] |
      | Monday 21:00 | probe          | www.kunde-b.de | monitor |                             | check=https, up=true                     |
    When pactwatch evaluates the case
    Then no violation is reported

  Scenario: A failing check exactly 24 hours later still counts
    Given these events:
      | at            | type           | service        | actor   | data                                       |
      | Monday 20:48  | status.claimed |                | vendor  | status=resolved, services=[www.kunde-b.de] |
      | Tuesday 20:48 | probe          | www.kunde-b.de | monitor | check=https, up=false                      |
    When pactwatch evaluates the case
    Then a "false-resolution-claim" violation is reported for "www.kunde-b.de"

  Scenario: A failing check after the window does not
    Given these events:
      | at            | type           | service        | actor   | data                                       |
      | Monday 20:48  | status.claimed |                | vendor  | status=resolved, services=[www.kunde-b.de] |
      | Tuesday 20:49 | probe          | www.kunde-b.de | monitor | check=https, up=false                      |
    When pactwatch evaluates the case
    Then no "false-resolution-claim" violation is reported

  Scenario: A forecast is not a claim
    Given these events:
      | at            | type              | service        | actor   | text                                                   | data                  |
      | Monday 09:00  | service.suspended | www.kunde-a.de | vendor  |                                                        |                       |
      | Monday 10:15  | message.sent      |                | vendor  | Voraussichtlich ist der Server bis 18 Uhr wieder online. | kind=update           |
      | Monday 18:00  | probe             | www.kunde-a.de | monitor |                                                        | check=https, up=false |
    When pactwatch evaluates the case
    Then no "false-resolution-claim" violation is reported
