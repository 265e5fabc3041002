// Loaded at the top of <body>, before anything is drawn: GOV.UK Frontend's components style
// themselves for JavaScript from these classes, as GOV.UK's page template does with an inline
// script. A file of its own because the Content-Security-Policy allows no inline script.
document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
