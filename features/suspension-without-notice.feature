@rule:suspension-without-notice @severity:high
Feature: A service is suspended only after notice
  The vendor may switch a service off only after warning the customer in writing,
  at least notice_hours before, and after giving cure_hours to fix the cause.

  Background:
    Given a contract with clause "§5.1" "Suspension only after notice" covering suspension_notice with notice_hours 24 and cure_hours 24

  @clause:§5.1
  Scenario: Domain switched off on Monday morning without any warning
    Given these events:
      | at           | type              | service        | actor  | data                     |
      | Monday 07:55 | service.suspended | www.kunde-a.de | vendor | reason=log files cause load |
    When pactwatch evaluates the case
    Then a "suspension-without-notice" violation is reported for "www.kunde-a.de"
    And it cites clause "§5.1"
    And the remedies include "Reinstate www.kunde-a.de immediately."

  Scenario: Notice given exactly 24 hours before is enough
    Given these events:
      | at           | type              | service        | actor  | data         |
      | Sunday 07:55 | notice.sent       | www.kunde-b.de | vendor | kind=warning |
      | next Monday 07:55 | service.suspended | www.kunde-b.de | vendor |        |
    When pactwatch evaluates the case
    Then no "suspension-without-notice" violation is reported

  Scenario: Notice one minute too late
    Given these events:
      | at           | type              | service        | actor  | data         |
      | Sunday 07:56 | notice.sent       | www.kunde-b.de | vendor | kind=warning |
      | next Monday 07:55 | service.suspended | www.kunde-b.de | vendor |        |
    When pactwatch evaluates the case
    Then a "suspension-without-notice" violation is reported for "www.kunde-b.de"

  Scenario: A maintenance announcement is not a warning
    Given these events:
      | at            | type              | service        | actor  | data             |
      | Friday 10:00  | notice.sent       | www.kunde-c.de | vendor | kind=maintenance |
      | next Monday 07:55 | service.suspended | www.kunde-c.de | vendor |            |
    When pactwatch evaluates the case
    Then a "suspension-without-notice" violation is reported for "www.kunde-c.de"

  Scenario: Without a clause the default applies and the finding is unmapped
    Given a contract without clauses
    And these events:
      | at           | type              | service        | actor  |
      | Monday 07:55 | service.suspended | www.kunde-a.de | vendor |
    When pactwatch evaluates the case
    Then a "suspension-without-notice" violation is reported
    And it is not mapped to a clause

  Scenario: A warning to the customer that names no domain warns of all of them
    Given these events:
      | at           | type              | service        | actor  | data         |
      | Friday 09:00 | notice.sent       |                | vendor | kind=warning |
      | next Monday 07:55 | service.suspended | www.kunde-d.de | vendor |        |
    When pactwatch evaluates the case
    Then no "suspension-without-notice" violation is reported
