"""Official documents drafted from the data as editable Word files (Decree 30/2020/NĐ-CP layout).

- ``sources``  — the hand-maintained tables the documents read (letterhead, recipients, bases, causes)
- ``model``    — the content of a document as plain data (paragraphs, blanks a person fills, drafting notes)
- ``layout``   — the one module that knows Word: page, fonts, header, signature, "Nơi nhận"
- ``status``   — the one adapter from the plan-tracking model to the categories a report counts
- ``plan_document`` / ``report_document`` — the content of next year's plan and of a periodic report
- ``write``    — build, lay out and save a document atomically; the batch used by ``cchc report --documents``
"""
