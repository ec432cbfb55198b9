@rule:no-compensation @severity:medium
Feature: Compensation is offered when owed or asked for
  Background:
    Given a contract with clause "§9.3" "Compensation" covering compensation with within_days 7

  @clause:§9.3
  Scenario: The agency asks for compensation and hears nothing
    Given these events:
      | at                | type         | actor    | text                                                               | data           |
      | Thursday 15:00    | message.sent | customer | Wir erwarten zudem ein finanzielles Entgegenkommen für unseren Kunden. | kind=complaint |
      | +8d               | clock        |          |                                                                    |                |
    When pactwatch evaluates the case
    Then a "no-compensation" violation is reported
    And it cites clause "§9.3"

  Scenario: A credit is offered within the week
    Given these events:
      | at                | type                 | actor    | text                                                                   | data                                   |
      | Thursday 15:00    | message.sent         | customer | Wir erwarten zudem ein finanzielles Entgegenkommen für unseren Kunden. | kind=complaint                         |
      | next Monday 11:20 | compensation.offered | vendor   | Wir schreiben Ihnen eine Monatsgebühr gut.                             | kind=credit, amount=49.9, currency=EUR |
      | +8d               | clock                |          |                                                                        |                                        |
    When pactwatch evaluates the case
    Then no "no-compensation" violation is reported
