// Placeholder entry until the UI issue lands: the build must have an entry point.
const root = document.querySelector('#app');
if (root) root.textContent = 'Optigem Sync';
