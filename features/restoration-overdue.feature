@rule:restoration-overdue @severity:high
Feature: Outages are fixed within the restoration time
  Background:
    Given a contract with clause "§7.1" "Restoration time" covering restoration_time with max_hours 24

  @clause:§7.1
  Scenario: Two domains stay down for two days after a hardware failure
    Given these events:
      | at              | type        | service        | actor   | data                                         |
      | Monday 17:05    | host.failed |                | vendor  | host=srv-dedi-17, services=[www.kunde-b.de]  |
      | Wednesday 15:30 | probe       | www.kunde-b.de | monitor | check=https, up=true                         |
    When pactwatch evaluates the case
    Then a "restoration-overdue" violation is reported for "www.kunde-b.de"
    And it cites clause "§7.1"

  Scenario: Restored exactly 24 hours later
    Given these events:
      | at           | type             | service        | actor  | data                                        |
      | Monday 17:05 | host.failed      |                | vendor | host=srv-dedi-17, services=[www.kunde-b.de] |
      | +24h         | service.restored | www.kunde-b.de | vendor |                                             |
      | +1h          | clock            |                |        |                                             |
    When pactwatch evaluates the case
    Then no "restoration-overdue" violation is reported
