// Loaded in <head> on every page: mark that JavaScript runs, so the no-JavaScript layout
// (navigation always visible, no menu button) applies only when it does not.
document.documentElement.classList.remove("no-js");
