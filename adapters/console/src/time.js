// Times as people at the office read them: Beijing time (UTC+8, no DST).
const formatter = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

export function beijingTime(text) {
  if (!text) return '';
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) return text;
  return formatter.format(d).replace(/\//g, '-');
}

// Dates (YYYY-MM-DD) are office dates already: shown as they are.
export function officeDate(text) {
  return text || '—';
}
