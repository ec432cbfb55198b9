@rule:support-referral @severity:low
Feature: Whoever receives a complaint handles it
  Background:
    Given a contract with clause "§9.2" "Complaint handling" covering complaint_handling with allow_referral false

  @clause:§9.2
  Scenario: Support sends the customer to quality management
    Given these events:
      | at             | type         | actor    | text                                                        | data                  |
      | Thursday 10:00 | message.sent | customer | Bitte gehen Sie dem Vorfall nach.                           | kind=complaint        |
      | +5m            | referral     | vendor   | Dafür ist das Qualitätsmanagement zuständig.                | to=quality-management |
    When pactwatch evaluates the case
    Then a "support-referral" violation is reported
    And it cites clause "§9.2"

  Scenario: Support handles it
    Given these events:
      | at             | type         | actor    | text                                               | data           |
      | Thursday 10:00 | message.sent | customer | Bitte gehen Sie dem Vorfall nach.                  | kind=complaint |
      | +5m            | message.sent | vendor   | Ich kümmere mich selbst darum.                     | kind=reply     |
    When pactwatch evaluates the case
    Then no "support-referral" violation is reported
