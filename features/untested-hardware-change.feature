@rule:untested-hardware-change @severity:high
Feature: Changes go only onto tested hosts
  Before an upgrade or migration is deployed onto a host, the host passes a function test.

  Background:
    Given a contract with clause "§6.2" "Acceptance test before commissioning" covering change_acceptance_testing

  @clause:§6.2
  Scenario: Upgrade deployed onto a server with defective hardware, no test
    Given these events:
      | at           | type             | actor  | data                                                               |
      | Monday 16:40 | change.completed | vendor | change=UPG-4711, host=srv-dedi-17, services=[www.kunde-a.de, www.kunde-b.de] |
      | +25m         | host.failed      | vendor | host=srv-dedi-17, services=[www.kunde-a.de, www.kunde-b.de]          |
    When pactwatch evaluates the case
    Then a "untested-hardware-change" violation is reported for "www.kunde-b.de"
    And it cites clause "§6.2"

  Scenario: The host passed a function test before the deployment
    Given these events:
      | at           | type             | actor  | data                                           |
      | Monday 15:10 | host.tested      | vendor | host=srv-dedi-22, result=pass, checks=[http, smtp] |
      | Monday 16:40 | change.completed | vendor | change=UPG-4711, host=srv-dedi-22                |
    When pactwatch evaluates the case
    Then no violation is reported

  Scenario: A failed test does not count
    Given these events:
      | at           | type             | actor  | data                              |
      | Monday 15:10 | host.tested      | vendor | host=srv-dedi-17, result=fail       |
      | Monday 16:40 | change.completed | vendor | change=UPG-4711, host=srv-dedi-17   |
    When pactwatch evaluates the case
    Then a "untested-hardware-change" violation is reported

  Scenario: A test after the deployment is too late
    Given these events:
      | at           | type             | actor  | data                              |
      | Monday 16:40 | change.completed | vendor | change=UPG-4711, host=srv-dedi-17   |
      | +1m          | host.tested      | vendor | host=srv-dedi-17, result=pass       |
    When pactwatch evaluates the case
    Then exactly these rules fire: untested-hardware-change
