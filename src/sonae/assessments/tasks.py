"""定期的に診断する: the reminder that a diagnosis is due again is part of the daily digest.

Since the loop's digest (sonae.loop.tasks.daily_digest, 08:05 Tokyo time) a person gets at most one
reminder mail a day: the "next diagnosis is due" line for owners and editors is one of its items
(sonae.loop.reminders), recorded per run in DueReminder as before, so it is never repeated for that run.
"""
