// Saves text as a file through a temporary object URL: the rows are already in the page, and a
// plain link to the API could not carry the bearer token (docs/dashboard.md "Alert history").
export function downloadText(text: string, fileName: string, type: string): void {
  // The byte order mark makes spreadsheet programs read the file as UTF-8 ("m³", "°C").
  const url = URL.createObjectURL(new Blob(['\ufeff', text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // Browsers read the blob after the click returns (Firefox fails a download whose URL was
  // revoked at once), so the URL is freed a minute later rather than now.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
