package dev.atoll.bench;

import java.util.List;
import java.util.Locale;

/**
 * The chart of a report: one horizontal bar per target ratio, a tick at its target, green where
 * the target is met and red where it is missed, so a reader sees at a glance where Atoll stands
 * against its baselines.
 */
final class Chart {

    private Chart() {
    }

    static final int ROW = 22;
    static final int LABEL = 430;
    static final int BARS = 420;

    /**
     * Renders the targets as an SVG document.
     *
     * @param targets the measured targets, in report order
     * @return the SVG text
     */
    static String svg(List<Report.Target> targets) {
        double max = 2.0;
        for (Report.Target t : targets) {
            max = Math.max(max, Math.min(Math.max(t.ratio(), t.target()) * 1.1, 40));
        }
        int width = LABEL + BARS + 70;
        int height = 50 + ROW * Math.max(1, targets.size()) + 30;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", width, height));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        s.append("<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">Atoll against its baselines: "
                + "measured ratio (bar) and target (black tick)</text>\n");
        s.append("<text x=\"10\" y=\"38\" fill=\"#555\">green: target met; red: missed. "
                + "Memory: lower is better; everything else: higher is better.</text>\n");
        int top = 50;
        for (int i = 0; i <= (int) Math.floor(max); i++) {
            double x = LABEL + BARS * i / max;
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n",
                    x, top - 4, x, top + ROW * targets.size()));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%d</text>%n",
                    x, top + ROW * targets.size() + 16, i));
        }
        for (int i = 0; i < targets.size(); i++) {
            Report.Target t = targets.get(i);
            int y = top + ROW * i;
            double bar = BARS * Math.min(t.ratio(), max) / max;
            double tick = LABEL + BARS * t.target() / max;
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    LABEL - 8, y + 14, escape(t.measure().replace("`", ""))));
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
                    LABEL, y + 3, bar, ROW - 6, t.met() ? "#4caf50" : "#e53935"));
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\" "
                    + "stroke-width=\"2\"/>%n", tick, y + 1, tick, y + ROW - 1));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%.2f</text>%n",
                    LABEL + Math.max(bar, BARS * t.target() / max) + 6, y + 14, t.ratio()));
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
