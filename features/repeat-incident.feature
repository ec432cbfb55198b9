@rule:repeat-incident @severity:medium
Feature: The same outage does not recur soon after
  Background:
    Given a contract with clause "§8.1" "Repeat incidents" covering repeat_incidents with window_days 30

  @clause:§8.1
  Scenario: The same host fails again a week later
    Given these events:
      | at                 | type             | service        | actor  | data                                        |
      | Monday 17:05       | host.failed      |                | vendor | host=srv-dedi-17, services=[www.kunde-b.de] |
      | Monday 19:00       | service.restored | www.kunde-b.de | vendor |                                             |
      | next Tuesday 08:00 | host.failed      |                | vendor | host=srv-dedi-17, services=[www.kunde-b.de] |
    When pactwatch evaluates the case
    Then a "repeat-incident" violation is reported for "www.kunde-b.de"
    And it cites clause "§8.1"

  Scenario: A different kind of outage is not a repeat
    Given these events:
      | at                 | type              | service        | actor  | data                                        |
      | Monday 17:05       | host.failed       |                | vendor | host=srv-dedi-17, services=[www.kunde-b.de] |
      | Monday 19:00       | service.restored  | www.kunde-b.de | vendor |                                             |
      | next Tuesday 08:00 | service.suspended | www.kunde-b.de | vendor |                                             |
    When pactwatch evaluates the case
    Then no "repeat-incident" violation is reported
