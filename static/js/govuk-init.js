// GOV.UK Frontend's components (skip link, service navigation, error summary...): enhancements
// only, every page works without them. The hashed-names storage rewrites this import.
import { initAll } from "../build/govuk-frontend.min.js";

initAll();
