# language: de
@rule:untested-hardware-change @severity:high
Funktionalität: Funktionstest vor Inbetriebnahme
  Ein Upgrade wird nur auf einen Server gespielt, der vorher einen Funktionstest bestanden hat.

  Grundlage:
    Angenommen ein Vertrag mit Klausel "§6.2" "Funktionstest vor Inbetriebnahme" für change_acceptance_testing

  @clause:§6.2
  Szenario: Das Upgrade landet ungetestet auf einem defekten Server
    Angenommen diese Ereignisse:
      | Zeit         | Typ              | Akteur   | Daten                                                     |
      | Montag 16:40 | change.completed | Anbieter | change=UPG-4711, host=srv-dedi-17, services=[www.kunde-a.de] |
    Wenn pactwatch den Fall prüft
    Dann wird ein Verstoß "untested-hardware-change" für "www.kunde-a.de" gemeldet
    Und er zitiert Klausel "§6.2"

  Szenario: Der Server wurde vorher geprüft
    Angenommen diese Ereignisse:
      | Zeit         | Typ              | Akteur   | Daten                              |
      | Montag 14:00 | host.tested      | Anbieter | host=srv-dedi-22, result=pass        |
      | Montag 16:40 | change.completed | Anbieter | change=UPG-4711, host=srv-dedi-22    |
    Wenn pactwatch den Fall prüft
    Dann wird kein Verstoß gemeldet
