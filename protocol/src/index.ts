// Filled in by later issues; kept so the workspace layout matches ARCHITECTURE.md.
export {};
