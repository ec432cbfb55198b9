@rule:unverified-resolution-claim @severity:high
Feature: A resolution is checked before it is announced
  Background:
    Given a contract with clause "§7.3" "Verified resolution" covering resolution_verification

  @clause:§7.3
  Scenario: "Fully reachable again" without checking a single affected domain
    Given these events:
      | at           | type         | actor  | text                                                          | data                                        |
      | Monday 17:05 | host.failed  | vendor |                                                               | host=srv-dedi-17, services=[www.kunde-c.de] |
      | Monday 20:48 | message.sent | vendor | Mittlerweile ist der Server allerdings wieder voll erreichbar. | kind=update                                 |
    When pactwatch evaluates the case
    Then a "unverified-resolution-claim" violation is reported for "www.kunde-c.de"
    And it cites clause "§7.3"

  Scenario: The domain was checked before the claim
    Given these events:
      | at           | type           | service        | actor   | data                                        |
      | Monday 17:05 | host.failed    |                | vendor  | host=srv-dedi-17, services=[www.kunde-c.de] |
      | Monday 20:40 | probe          | www.kunde-c.de | monitor | check=https, up=true                        |
      | Monday 20:48 | status.claimed |                | vendor  | status=resolved, services=[www.kunde-c.de]  |
    When pactwatch evaluates the case
    Then no "unverified-resolution-claim" violation is reported
