"""The kit's colours and its page style, shared by the screens and the offline report."""

# Okabe-Ito: distinguishable with the common kinds of colour blindness.
PALETTE = {"blue": "#0072B2", "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73",
           "vermillion": "#D55E00", "purple": "#CC79A7", "grey": "#6B6B6B", "ink": "#1A1A1A"}


STYLE = """
<style>
.cd-page { max-width: 60rem; font-size: 1rem; line-height: 1.45; color: #1a1a1a; }
.cd-page * { box-sizing: border-box; }
.cd-page .widget-button, .cd-page .widget-toggle-button, .cd-page button {
  min-height: 44px; min-width: 44px; font-size: 1rem; }
.cd-page .widget-button:not(.mod-primary):not(.mod-danger):not(.mod-warning) {
  background: #fff; border: 1px solid #6b6b6b; color: #1a1a1a; }
.cd-page .widget-text input, .cd-page .widget-dropdown select { min-height: 44px;
  font-size: 1rem; }
.cd-page .widget-dropdown { height: auto; }
.cd-page .widget-textarea { height: auto !important; }
.cd-page .widget-textarea textarea { min-height: 4rem; }
.cd-page .widget-label, .cd-page label { font-size: 1rem; }
.cd-page :focus-visible { outline: 3px solid #0072B2 !important; outline-offset: 2px; }
.cd-page .widget-inline-hbox, .cd-page .widget-hbox { flex-wrap: wrap; gap: 4px; }
.cd-page .widget-inline-hbox .widget-label { white-space: normal; max-width: 100%;
  height: auto; line-height: 1.3; overflow: visible; text-align: left; }
.cd-page .widget-toggle-buttons .widget-toggle-button { width: auto; padding: 0 0.8rem; }
.cd-page .widget-toggle-buttons { flex-wrap: wrap; display: flex; gap: 4px; }
.cd-page .jupyter-widgets.widget-html { overflow-wrap: anywhere; }
.cd-hidden { display: none !important; }
.cd-status { min-height: 1.6rem; font-weight: 600; }
.cd-status .cd-ok { color: #005A8C; }
.cd-status .cd-error { color: #A33B00; }
.cd-warn { border-left: 6px solid #E69F00; background: #FFF6E0; padding: 0.6rem 0.8rem; }
.cd-note { border-left: 6px solid #0072B2; background: #EEF6FB; padding: 0.6rem 0.8rem; }
.cd-question { margin-top: 1rem; font-weight: 600; }
.cd-code { font-size: clamp(3rem, 14vw, 9rem); font-weight: 800; letter-spacing: 0.12em;
  line-height: 1.2; font-family: "DejaVu Sans Mono", Menlo, monospace; color: #1a1a1a; }
.cd-big { font-size: clamp(1.4rem, 4vw, 2.4rem); line-height: 1.25; }
.cd-page h1, .cd-page h2, .cd-countdown-big { line-height: 1.25; }
.cd-room-head h2 { margin-bottom: 0; }
.cd-join { display: flex; flex-wrap: wrap; align-items: center; column-gap: 3rem; }
.cd-qr { margin: 0.5rem 0; text-align: center; }
.cd-qr-code svg { display: block; width: min(40vh, 30vw); min-width: 12rem; height: auto;
  background: #fff; }
.cd-qr figcaption { font-size: clamp(1rem, 2vw, 1.4rem); margin-top: 0.3rem; }
.cd-under-way .cd-qr-code svg { width: min(18vh, 10vw); min-width: 7rem; }
.cd-under-way .cd-qr figcaption { display: none; }
.cd-under-way .cd-join { display: flex; flex-wrap: wrap; align-items: baseline;
  column-gap: 1.2rem; }
.cd-under-way .cd-join > * { margin: 0.2rem 0; }
.cd-under-way .cd-code { font-size: clamp(2rem, 5vw, 3.4rem); }
.cd-under-way .cd-big { font-size: clamp(1.2rem, 2.6vw, 1.8rem); }
@media (min-width: 1600px) {
  .cd-page:has(.cd-room-split) { max-width: none; }
  .cd-page .cd-room-split { flex-direction: row; align-items: flex-start; gap: 2rem; }
  .cd-room-split > :first-child { flex: 0 0 34rem; }
  .cd-room-split > :last-child { flex: 1 1 0; min-width: 0; }
  .cd-room-split .cd-big { font-size: 1.6rem; } }
.cd-table { border-collapse: collapse; margin: 0.5rem 0; }
.cd-table th, .cd-table td { border: 1px solid #999; padding: 0.3rem 0.6rem; text-align: left; }
.cd-table th { background: #f0f0f0; }
.cd-table th, .cd-table td { overflow-wrap: normal; }
.cd-num { white-space: nowrap; }
.cd-scroll { overflow-x: auto; max-width: 100%; }
.cd-scroll caption { text-align: left; }
.cd-chart svg { max-width: 100%; height: auto; }
.cd-stepbar { font-size: 1.1rem; padding: 0.6rem 0.8rem; background: #f4f4f4;
  border-left: 6px solid #56B4E9; }
.cd-page .cd-stack { flex-direction: column; align-items: stretch; }
.cd-page .cd-stack > .widget-label { width: auto !important; max-width: 100%; }
.cd-page .cd-stack textarea, .cd-page .cd-stack input,
.cd-page .cd-stack select { width: 100%; }
.cd-countdown { font-size: 1.2rem; padding: 0.4rem 0.8rem; border-left: 6px solid #0072B2;
  background: #EEF6FB; margin: 0.3rem 0; }
.cd-countdown-big { font-size: clamp(1.8rem, 6vw, 4rem); }
.cd-countdown-done { border-left-color: #D55E00; background: #FFF6E0; }
.cd-agenda .cd-now th, .cd-agenda .cd-now td { background: #FFF6E0; font-weight: 700; }
.cd-icons { list-style: none; padding-left: 0; }
.cd-icon { display: inline-block; min-width: 1.8rem; height: 1.8rem; line-height: 1.8rem;
  border-radius: 50%; text-align: center; font-weight: 700; margin-right: 0.3rem; }
.cd-card { border: 1px solid #999; border-radius: 4px; padding: 0.5rem 0.8rem;
  margin: 0.4rem 0; }
@media (max-width: 480px) { .cd-page { font-size: 1.05rem; } }
</style>
"""
