# language: de
@rule:false-resolution-claim @severity:critical
Funktionalität: Fertigmeldung nur nach Prüfung
  "Behoben" darf der Anbieter erst melden, wenn er die betroffenen Dienste geprüft hat.

  Grundlage:
    Angenommen ein Vertrag mit Klausel "§7.3" "Fertigmeldung nur nach Prüfung" für resolution_verification mit verify_window_hours 24

  @clause:§7.3
  Szenario: Die Mail um 20:48 behauptet, der Server laufe wieder
    Angenommen diese Ereignisse:
      | Zeit           | Typ          | Dienst         | Akteur    | Text                                                          | Daten                                    |
      | Dienstag 17:05 | host.failed  |                | Anbieter  |                                                               | host=srv-dedi-17, services=[www.kunde-c.de] |
      | Dienstag 20:48 | message.sent |                | Anbieter  | Mittlerweile ist der Server allerdings wieder voll erreichbar. | kind=update                              |
      | +12m           | probe        | www.kunde-c.de | Monitor   |                                                               | check=https, up=false                    |
    Wenn pactwatch den Fall prüft
    Dann wird ein Verstoß "false-resolution-claim" für "www.kunde-c.de" gemeldet
    Und er zitiert Klausel "§7.3"

  Szenario: Geprüft und tatsächlich erreichbar
    Angenommen diese Ereignisse:
      | Zeit           | Typ            | Dienst         | Akteur   | Daten                                      |
      | Dienstag 20:48 | status.claimed |                | Anbieter | status=resolved, services=[www.kunde-c.de] |
      | Dienstag 21:00 | probe          | www.kunde-c.de | Monitor  | check=https, up=true                       |
    Wenn pactwatch den Fall prüft
    Dann wird kein Verstoß gemeldet
