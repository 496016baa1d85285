#include "server-gui/ThroughputGraph.h"

#include "server-gui/DisplayFormat.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <functional>

namespace parley::server {
namespace {

using Value = std::function<double(const ThroughputSample&)>;

struct Line {
    Value value;
    QColor color;
    QString name;
};

}  // namespace

ThroughputGraph::ThroughputGraph(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("throughputGraph"));
    setMinimumHeight(240);
    setAutoFillBackground(true);
}

void ThroughputGraph::setSamples(const std::deque<ThroughputSample>& samples) {
    m_samples = samples;
    update();
}

void ThroughputGraph::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.fillRect(rect(), palette().base());

    const auto bytes = [](double v) { return formatBytes(static_cast<std::uint64_t>(v)) + QStringLiteral("/s"); };
    const auto plain = [](double v) { return QString::number(v, 'f', v < 10 ? 1 : 0); };
    struct Strip {
        QString title;
        std::vector<Line> lines;
        std::function<QString(double)> label;
    };
    const std::vector<Strip> strips = {
        {tr("Messages/s"),
         {{[](const ThroughputSample& s) { return s.messagesPerSecond; }, QColor(0x1f, 0x6f, 0xc5), tr("messages")}},
         plain},
        // Chat and file bytes in strips of their own: files would flatten chat on one scale.
        {tr("Chat bytes/s"),
         {{[](const ThroughputSample& s) { return s.chatBytesPerSecond; }, QColor(0x1b, 0x7f, 0x2a), tr("chat")}},
         bytes},
        {tr("File bytes/s"),
         {{[](const ThroughputSample& s) { return s.fileBytesPerSecond; }, QColor(0xc5, 0x6a, 0x1f), tr("files")}},
         bytes},
        {tr("Connections"),
         {{[](const ThroughputSample& s) { return s.connections; }, QColor(0x6a, 0x3d, 0x9a), tr("open")}},
         plain},
    };

    const int margin = 8;
    const int labelWidth = 112;
    const double stripHeight = static_cast<double>(height() - margin) / static_cast<double>(strips.size());
    // The x axis grows from one minute to the full ten as samples arrive.
    const std::size_t shownSeconds = std::clamp<std::size_t>(m_samples.size(), 60, ThroughputHistory::kSamples);
    const double span = static_cast<double>(shownSeconds - 1);
    for (std::size_t i = 0; i < strips.size(); ++i) {
        const Strip& strip = strips[i];
        const QRectF area(labelWidth, margin + stripHeight * static_cast<double>(i), width() - labelWidth - margin,
                          stripHeight - margin - 14);
        double peak = 0.0;
        for (const Line& line : strip.lines)
            for (const ThroughputSample& s : m_samples) peak = std::max(peak, line.value(s));
        const double top = peak > 0 ? peak * 1.1 : 1.0;

        painter.setPen(palette().mid().color());
        painter.drawRect(area);
        painter.setPen(palette().text().color());
        painter.drawText(QRectF(4, area.top(), labelWidth - 8, 16), Qt::AlignLeft, strip.title);
        painter.drawText(QRectF(4, area.top() + 16, labelWidth - 8, 16), Qt::AlignLeft,
                         tr("peak %1").arg(strip.label(peak)));
        // Legend and the latest values, under the strip.
        double legendX = area.left();
        for (const Line& line : strip.lines) {
            const double latest = m_samples.empty() ? 0.0 : line.value(m_samples.back());
            const QString text = QStringLiteral("%1 %2").arg(line.name, strip.label(latest));
            painter.fillRect(QRectF(legendX, area.bottom() + 4, 9, 9), line.color);
            painter.drawText(QRectF(legendX + 13, area.bottom() + 1, area.width(), 14), Qt::AlignLeft, text);
            legendX += 13 + painter.fontMetrics().horizontalAdvance(text) + 18;
        }
        if (m_samples.size() < 2) continue;
        // Newest sample at the right edge; older ones to the left, one slot a second.
        const double offset = span - static_cast<double>(m_samples.size() - 1);
        for (const Line& line : strip.lines) {
            QPainterPath path;
            for (std::size_t k = 0; k < m_samples.size(); ++k) {
                const double x = area.left() + area.width() * (offset + static_cast<double>(k)) / span;
                const double y = area.bottom() - area.height() * line.value(m_samples[k]) / top;
                if (k == 0) path.moveTo(x, y);
                else path.lineTo(x, y);
            }
            painter.setPen(QPen(line.color, 1.6));
            painter.drawPath(path);
        }
    }
    painter.setPen(palette().mid().color());
    painter.drawText(QRectF(labelWidth, height() - 14, width() - labelWidth - margin, 14), Qt::AlignRight,
                     shownSeconds >= ThroughputHistory::kSamples
                         ? tr("last 10 minutes, one point a second")
                         : tr("last %1 s, one point a second (up to 10 minutes)").arg(shownSeconds));
}

}  // namespace parley::server
