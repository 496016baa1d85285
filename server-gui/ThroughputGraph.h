#pragma once
// ThroughputGraph: the last ten minutes (the first minute at least) as four
// strips drawn with QPainter — messages/s, chat bytes/s, file bytes/s and open
// connections — each scaled to its own peak, newest on the right. Redrawn when setSamples() is
// called (once a second, from the controller's copy; nothing here waits for
// the engine).
//
// Object name: throughputGraph. Threading: GUI thread only.

#include "server-gui/ThroughputHistory.h"

#include <QWidget>

#include <deque>

namespace parley::server {

class ThroughputGraph final : public QWidget {
    Q_OBJECT
public:
    explicit ThroughputGraph(QWidget* parent = nullptr);

    void setSamples(const std::deque<ThroughputSample>& samples);
    const std::deque<ThroughputSample>& samples() const { return m_samples; }

    QSize sizeHint() const override { return {640, 360}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::deque<ThroughputSample> m_samples;
};

}  // namespace parley::server
