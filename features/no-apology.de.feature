# language: de
@rule:no-apology @severity:medium
Funktionalität: Entschuldigung nach einer Störung
  Nach einer Beschwerde entschuldigt sich der Anbieter innerhalb von 72 Stunden ausdrücklich.
  Bedauern allein ("leider", "bedauerlicherweise") ist keine Entschuldigung.

  Grundlage:
    Angenommen ein Vertrag mit Klausel "§9.1" "Beschwerdemanagement" für apology mit within_hours 72

  @clause:§9.1
  Szenario: Das Qualitätsmanagement antwortet mit Floskeln
    Angenommen diese Ereignisse:
      | Zeit                  | Typ          | Akteur   | Text                                                                                 | Daten          |
      | Donnerstag 15:00      | message.sent | Kunde    | Warum wurde die Seite ohne Warnung abgeschaltet?                                     | kind=complaint |
      | nächster Montag 11:20 | message.sent | Anbieter | Trotz aller Vorsichtsmaßnahmen kann es leider immer zu Störungen oder Ausfällen kommen. | kind=reply     |
    Wenn pactwatch den Fall prüft
    Dann wird ein Verstoß "no-apology" gemeldet
    Und er zitiert Klausel "§9.1"

  Szenario: Eine ehrliche Entschuldigung
    Angenommen diese Ereignisse:
      | Zeit             | Typ          | Akteur   | Text                                                                   | Daten          |
      | Donnerstag 15:00 | message.sent | Kunde    | Warum wurde die Seite ohne Warnung abgeschaltet?                       | kind=complaint |
      | Freitag 09:00    | message.sent | Anbieter | Es tut uns leid, dass hier so viel schief lief, und wir entschuldigen uns ausdrücklich dafür. | kind=reply |
    Wenn pactwatch den Fall prüft
    Dann wird kein Verstoß gemeldet
