"""One module per platform: site knowledge only (pages, paging, parsing). Each exposes `FLOW`."""
