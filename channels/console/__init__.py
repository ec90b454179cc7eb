"""Hand-off to human advisers: store, gate, adviser console (pages, API, WebSocket), accounts CLI."""
