@rule:deflection @severity:medium
Feature: Complaints get causes and measures, not boilerplate
  Background:
    Given a contract with clause "§9.2" "Complaint handling" covering complaint_handling

  @clause:§9.2
  Scenario: Quality management answers with stock phrases
    Given these events:
      | at                | type         | actor    | text                                                                                          | data           |
      | Thursday 15:00    | message.sent | customer | Warum wurde ein Serverpaket auf einen kaputten Server portiert?                                | kind=complaint |
      | next Monday 11:20 | message.sent | vendor   | Trotz aller Vorsichtsmaßnahmen kann es leider immer zu Störungen oder Ausfällen kommen.       | kind=reply     |
    When pactwatch evaluates the case
    Then a "deflection" violation is reported
    And it cites clause "§9.2"
    And the summary mentions "Trotz aller Vorsichtsmaßnahmen"

  Scenario: The answer names the cause and the measure
    Given these events:
      | at                | type         | actor    | text                                                                                                       | data           |
      | Thursday 15:00    | message.sent | customer | Warum wurde ein Serverpaket auf einen kaputten Server portiert?                                             | kind=complaint |
      | Friday 11:20      | message.sent | vendor   | Ursache war ein defektes Netzteil. Künftig werden wir jeden Server vor der Inbetriebnahme testen.          | kind=reply     |
    When pactwatch evaluates the case
    Then no "deflection" violation is reported

  Scenario: A stock phrase beside a fix is an answer
    Given these events:
      | at                | type         | actor    | text                                                                                                             | data           |
      | Thursday 15:00    | message.sent | customer | Seit dem Update zeigen unsere Rechnungen den alten Steuersatz.                                                    | kind=complaint |
      | Friday 11:20      | message.sent | vendor   | Ihre Zufriedenheit liegt uns sehr am Herzen. Der Fehler ist behoben, die Rechnungen zeigen wieder den richtigen Steuersatz. | kind=reply     |
    When pactwatch evaluates the case
    Then no "deflection" violation is reported
