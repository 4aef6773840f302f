import { initAll } from "../vendor/govuk/govuk-frontend.min.js";
import "./tables.js";

initAll();
