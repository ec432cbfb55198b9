@rule:no-apology @severity:medium
Feature: An outage or complaint is answered with an apology
  After customer impact the vendor apologises explicitly: within within_hours of the first
  complaint, or by the end of the case when nobody complained. Regret is not an apology.

  Background:
    Given a contract with clause "§9.1" "Complaint handling" covering apology with within_hours 72

  @clause:§9.1
  Scenario: Quality management answers with boilerplate
    Given these events:
      | at               | type         | actor    | text                                                                                  | data           |
      | Monday 08:20     | message.sent | customer | The domain has been unreachable since this morning.                                   | kind=complaint |
      | next Monday 11:20 | message.sent | vendor   | Hier kam es leider zu einer unglücklichen Verkettung von nicht vorhersehbaren Problemen. | kind=reply     |
    When pactwatch evaluates the case
    Then a "no-apology" violation is reported
    And it cites clause "§9.1"
    And the remedies include "explicit apology"

  Scenario: The vendor apologises the same morning
    Given these events:
      | at           | type         | actor    | text                                                       | data           |
      | Monday 08:20 | message.sent | customer | The domain has been unreachable since this morning.        | kind=complaint |
      | Monday 10:00 | message.sent | vendor   | We apologise for switching your site off without warning. | kind=reply     |
    When pactwatch evaluates the case
    Then no violation is reported

  Scenario: An apology exactly at the deadline is in time
    Given these events:
      | at              | type         | actor    | text                   | data           |
      | Monday 08:20    | message.sent | customer | Still down!            | kind=complaint |
      | Thursday 08:20  | message.sent | vendor   | We are sorry for this. | kind=reply     |
      | Friday 08:00    | clock        |          |                        |                |
    When pactwatch evaluates the case
    Then no "no-apology" violation is reported

  Scenario: "We do not apologise" is no apology
    Given these events:
      | at             | type         | actor    | text                                              | data           |
      | Monday 08:20   | message.sent | customer | Still down!                                       | kind=complaint |
      | Monday 09:00   | message.sent | vendor   | We do not apologise for enforcing our terms.      | kind=reply     |
      | Friday 08:00   | clock        |          |                                                   |                |
    When pactwatch evaluates the case
    Then a "no-apology" violation is reported

  Scenario: An outage nobody complained about still needs an apology by the end of the case
    Given these events:
      | at           | type              | service        | actor  | data                  |
      | Monday 09:00 | probe             | www.kunde-a.de | monitor | check=https, up=false |
      | Monday 12:00 | incident.closed   |                |        |                       |
    When pactwatch evaluates the case
    Then a "no-apology" violation is reported for "www.kunde-a.de"

  Scenario: Announced maintenance inside its window is planned work, not an incident
    Given these events:
      | at             | type            | service        | actor   | text                                      | data                                                                                  |
      | Monday 10:00   | notice.sent     | www.kunde-a.de | vendor  | Maintenance on Friday from 01:00 to 03:00. | kind=maintenance, starts=2026-03-06T01:00:00+01:00, ends=2026-03-06T03:00:00+01:00 |
      | Friday 01:10   | probe           | www.kunde-a.de | monitor |                                           | check=https, up=false                                                                 |
      | Friday 02:30   | probe           | www.kunde-a.de | monitor |                                           | check=https, up=true                                                                  |
      | Friday 12:00   | incident.closed |                |         |                                           |                                                                                       |
    When pactwatch evaluates the case
    Then no "no-apology" violation is reported

  Scenario: Maintenance that runs past its window needs an apology
    Given these events:
      | at             | type            | service        | actor   | text                                      | data                                                                                  |
      | Monday 10:00   | notice.sent     | www.kunde-a.de | vendor  | Maintenance on Friday from 01:00 to 03:00. | kind=maintenance, starts=2026-03-06T01:00:00+01:00, ends=2026-03-06T03:00:00+01:00 |
      | Friday 01:10   | probe           | www.kunde-a.de | monitor |                                           | check=https, up=false                                                                 |
      | Friday 05:30   | probe           | www.kunde-a.de | monitor |                                           | check=https, up=true                                                                  |
      | Friday 12:00   | incident.closed |                |         |                                           |                                                                                       |
    When pactwatch evaluates the case
    Then a "no-apology" violation is reported for "www.kunde-a.de"
