// Copies the front-end packages Django serves into static/vendor/ (git-ignored).
import { cpSync, mkdirSync, rmSync } from "node:fs";

const out = "static/vendor";
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const copies = [
  ["node_modules/bootstrap-italia/dist/css/bootstrap-italia.min.css", "bootstrap-italia/css/bootstrap-italia.min.css"],
  // the CSS names its source map: the manifest storage (production) needs it to exist
  ["node_modules/bootstrap-italia/dist/css/bootstrap-italia.min.css.map", "bootstrap-italia/css/bootstrap-italia.min.css.map"],
  ["node_modules/bootstrap-italia/dist/js/bootstrap-italia.bundle.min.js", "bootstrap-italia/js/bootstrap-italia.bundle.min.js"],
  ["node_modules/bootstrap-italia/dist/svg", "bootstrap-italia/svg"],
  ["node_modules/bootstrap-italia/dist/fonts", "bootstrap-italia/fonts"],
  ["node_modules/htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"],
  ["node_modules/chart.js/dist/chart.umd.min.js", "chartjs/chart.umd.min.js"],
  ["node_modules/chart.js/dist/chart.umd.min.js.map", "chartjs/chart.umd.min.js.map"],
  ["node_modules/jsqr/dist/jsQR.js", "jsqr/jsQR.js"], // the job fair's check-in camera
  // the API's documentation page (hubs/restapi): Swagger UI, started by our own script
  ["node_modules/swagger-ui-dist/swagger-ui-bundle.js", "swagger-ui/swagger-ui-bundle.js"],
  ["node_modules/swagger-ui-dist/swagger-ui-bundle.js.map", "swagger-ui/swagger-ui-bundle.js.map"],
  ["node_modules/swagger-ui-dist/swagger-ui.css", "swagger-ui/swagger-ui.css"],
  ["node_modules/swagger-ui-dist/swagger-ui.css.map", "swagger-ui/swagger-ui.css.map"],
];
for (const [from, to] of copies) {
  cpSync(from, `${out}/${to}`, { recursive: true });
}
console.log(`assets copied to ${out}/`);
