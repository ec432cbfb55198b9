@rule:missed-commitment @severity:medium
Feature: Promised times are kept
  Background:
    Given a contract with clause "§7.4" "Promised times" covering commitments with grace_minutes 30

  @clause:§7.4
  Scenario: "Back online by 18:00", still down at 18:00
    Given these events:
      | at            | type              | service        | actor   | text                                                   | data                  |
      | Tuesday 09:00 | service.suspended | www.kunde-a.de | vendor  |                                                        |                       |
      | Tuesday 10:15 | message.sent      |                | vendor  | Voraussichtlich ist der Server bis 18 Uhr wieder online. | kind=update         |
      | Tuesday 18:00 | probe             | www.kunde-a.de | monitor |                                                        | check=https, up=false |
    When pactwatch evaluates the case
    Then a "missed-commitment" violation is reported for "www.kunde-a.de"
    And it cites clause "§7.4"

  Scenario: Up before the promised time
    Given these events:
      | at            | type              | service        | actor   | text                                 | data                 |
      | Tuesday 09:00 | service.suspended | www.kunde-a.de | vendor  |                                      |                      |
      | Tuesday 10:15 | message.sent      |                | vendor  | We will fix this within 4 hours.     | kind=update          |
      | Tuesday 13:00 | service.restored  | www.kunde-a.de | vendor  |                                      |                      |
      | Tuesday 14:15 | probe             | www.kunde-a.de | monitor |                                      | check=https, up=true |
    When pactwatch evaluates the case
    Then no "missed-commitment" violation is reported

  Scenario: A promised status update is not a promised restoration
    Given these events:
      | at            | type              | service        | actor   | text                                           | data                  |
      | Tuesday 09:00 | service.suspended | www.kunde-a.de | vendor  |                                                |                       |
      | Tuesday 10:15 | message.sent      |                | vendor  | Next update by 16:30.                          | kind=update           |
      | Tuesday 16:30 | probe             | www.kunde-a.de | monitor |                                                | check=https, up=false |
    When pactwatch evaluates the case
    Then no "missed-commitment" violation is reported
