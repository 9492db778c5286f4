// Loaded before the page is drawn (not deferred): marks that scripts run, so a narrow screen draws
// the menu folded behind its button at once. Without scripts the menu is simply shown open.
document.documentElement.className += ' js';
