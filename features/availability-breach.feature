@rule:availability-breach @severity:high
Feature: Availability is kept, or a service credit is owed
  Each service is up at least target_percent of every calendar month; below that, the
  contract's credit tiers apply to the monthly fee.

  Background:
    Given the contract template "hosting-de"
    And a contract with clause "§3.1" "Verfügbarkeit" covering availability with target_percent 99.9
    And a contract with clause "§3.2" "Gutschriften" covering service_credits with claim_within_days 30

  @clause:§3.1 @clause:§3.2
  Scenario: A domain is dead for over a day
    Given these events:
      | at            | type              | service        | actor  |
      | Monday 07:55  | service.suspended | www.kunde-a.de | vendor |
      | Tuesday 13:55 | service.restored  | www.kunde-a.de | vendor |
    When pactwatch evaluates the case
    Then a "availability-breach" violation is reported for "www.kunde-a.de"
    And it cites clause "§3.2"
    And the remedies include "25 % von 49,90 € = 12,48 €"
    And the service credit is 12.48 EUR

  Scenario: Twenty minutes down stays within 99.9 %
    Given these events:
      | at           | type  | service        | actor   | data                  |
      | Monday 07:55 | probe | www.kunde-a.de | monitor | check=https, up=false |
      | +20m         | probe | www.kunde-a.de | monitor | check=https, up=true  |
    When pactwatch evaluates the case
    Then no "availability-breach" violation is reported
