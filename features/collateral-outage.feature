@rule:collateral-outage @severity:high
Feature: A change does not take down services it was not ordered for
  Background:
    Given a contract with clause "§6.3" "No collateral damage" covering change_impact with window_hours 24

  @clause:§6.3
  Scenario: The upgrade for one client takes two other domains down
    Given these events:
      | at           | type             | actor    | data                                                                              |
      | Monday 11:12 | change.requested | customer | change=UPG-4711, kind=upgrade, services=[www.kunde-a.de]                          |
      | Monday 16:40 | change.completed | vendor   | change=UPG-4711, host=srv-dedi-17, services=[www.kunde-a.de, www.kunde-b.de, www.kunde-c.de] |
      | +25m         | host.failed      | vendor   | host=srv-dedi-17, services=[www.kunde-b.de, www.kunde-c.de]                        |
    When pactwatch evaluates the case
    Then a "collateral-outage" violation is reported for "www.kunde-b.de"
    And a "collateral-outage" violation is reported for "www.kunde-c.de"
    And it cites clause "§6.3"

  Scenario: Only the ordered service is affected
    Given these events:
      | at           | type             | actor    | data                                                     |
      | Monday 11:12 | change.requested | customer | change=UPG-4711, kind=upgrade, services=[www.kunde-a.de] |
      | Monday 16:40 | change.completed | vendor   | change=UPG-4711, host=srv-dedi-17, services=[www.kunde-a.de] |
      | +25m         | host.failed      | vendor   | host=srv-dedi-17, services=[www.kunde-a.de]               |
    When pactwatch evaluates the case
    Then no "collateral-outage" violation is reported

  Scenario: A vendor's own fleet update is for the services it was deployed to
    Given these events:
      | at           | type             | actor    | data                                                                 |
      | Monday 02:00 | change.completed | vendor   | change=OS-2026-03, host=srv-web-4, services=[www.kunde-a.de, www.kunde-b.de] |
      | +10m         | host.failed      | vendor   | host=srv-web-4, services=[www.kunde-a.de, www.kunde-b.de]            |
    When pactwatch evaluates the case
    Then no "collateral-outage" violation is reported
    And an "untested-hardware-change" violation is reported
