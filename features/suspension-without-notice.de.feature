# language: de
@rule:suspension-without-notice @severity:high
Funktionalität: Sperrung nur nach Vorankündigung
  Der Anbieter darf einen Dienst nur sperren, wenn er den Kunden vorher schriftlich
  gewarnt und ihm Zeit gegeben hat, die Ursache zu beseitigen.

  Grundlage:
    Angenommen ein Vertrag mit Klausel "§5.1" "Sperrung nur nach Vorankündigung" für suspension_notice mit notice_hours 24 und cure_hours 24

  @clause:§5.1
  Szenario: Die Domain wird am Montagmorgen ohne Warnung abgeschaltet
    Angenommen diese Ereignisse:
      | Zeit         | Typ               | Dienst         | Akteur   | Daten                          |
      | Montag 07:55 | service.suspended | www.kunde-a.de | Anbieter | reason=Logdateien erzeugen Last |
    Wenn pactwatch den Fall prüft
    Dann wird ein Verstoß "suspension-without-notice" für "www.kunde-a.de" gemeldet
    Und er zitiert Klausel "§5.1"

  Szenario: Warnung mit 48 Stunden Vorlauf
    Angenommen diese Ereignisse:
      | Zeit           | Typ               | Dienst         | Akteur   | Daten        |
      | Samstag 07:55  | notice.sent       | www.kunde-a.de | Anbieter | kind=warning |
      | nächster Montag 07:55 | service.suspended | www.kunde-a.de | Anbieter |   |
    Wenn pactwatch den Fall prüft
    Dann wird kein Verstoß "suspension-without-notice" gemeldet
