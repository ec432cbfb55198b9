@rule:suspension-without-notice @rule:no-apology
Feature: The hosting contract template enforces notice and apology together
  Scenario: The German hosting template maps both findings to its clauses
    Given the contract template "hosting-de"
    And these events:
      | at           | type              | service     | actor    | text              | data           |
      | Monday 07:55 | service.suspended | www.kunde.de | vendor   |                   |                |
      | Monday 08:20 | message.sent      |             | customer | Seite ist down!   | kind=complaint |
      | Friday 09:00 | clock             |             |          |                   |                |
    When pactwatch evaluates the case
    Then a "suspension-without-notice" violation is reported for "www.kunde.de"
    And it cites clause "§5.1"
    And a "no-apology" violation is reported
    And it cites clause "§9.1"
