/** The months by name; "may" is also a verb ("may I …"), so word lists that stand for a date leave it out. */
export const MONTHS_BUT_MAY: readonly string[] = [
  'january',
  'february',
  'march',
  'april',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** The months as a date may name them, with their short forms ("9 august", "Jan 8", "14 Nov"). */
export const MONTH_WORDS: readonly string[] = [...MONTHS_BUT_MAY, 'may', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec'];
