@rule:complaint-response-late @severity:medium
Feature: Complaints are answered in time
  Background:
    Given a contract with clause "§9.2" "Complaint handling" covering complaint_handling with response_hours 24

  @clause:§9.2
  Scenario: Four days without an answer
    Given these events:
      | at                | type         | actor    | text                        | data           |
      | Thursday 15:00    | message.sent | customer | Wir bitten um Aufklärung.   | kind=complaint |
      | next Monday 11:20 | message.sent | vendor   | Vielen Dank für Ihre Nachricht. | kind=reply |
    When pactwatch evaluates the case
    Then a "complaint-response-late" violation is reported
    And it cites clause "§9.2"

  Scenario: Answered exactly 24 hours later
    Given these events:
      | at             | type         | actor    | text                       | data           |
      | Thursday 15:00 | message.sent | customer | Wir bitten um Aufklärung.  | kind=complaint |
      | +24h           | message.sent | vendor   | Wir prüfen den Vorgang.    | kind=reply     |
      | +1h            | clock        |          |                            |                |
    When pactwatch evaluates the case
    Then no "complaint-response-late" violation is reported
