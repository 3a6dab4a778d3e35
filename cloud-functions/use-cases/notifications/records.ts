/** Index partition holding scheduled reminders, sorted by due time (`gsi1sk` = ISO time + id). */
export const REMINDER_INDEX = 'REMINDER#DUE'
