#include "client-gui/widgets/ImageViewer.h"

#include <QFileInfo>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QLabel>
#include <QMovie>
#include <QPixmap>
#include <QScreen>
#include <QScrollArea>
#include <QVBoxLayout>

namespace parley::gui {

ImageViewer* ImageViewer::open(const QString& path, QWidget* owner) {
    auto* viewer = new ImageViewer(path, owner);  // deletes itself on close (WA_DeleteOnClose)
    viewer->show();
    viewer->raise();
    viewer->activateWindow();
    return viewer;
}

ImageViewer::ImageViewer(const QString& path, QWidget* owner) : QWidget(owner, Qt::Window), m_label(new QLabel) {
    setObjectName(QStringLiteral("imageViewer"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(QFileInfo(path).fileName());
    m_label->setObjectName(QStringLiteral("imageViewerLabel"));
    m_label->setAlignment(Qt::AlignCenter);
    QSize size;
    if (path.endsWith(QLatin1String(".gif"), Qt::CaseInsensitive)) {
        m_movie = std::make_unique<QMovie>(path);
        m_label->setMovie(m_movie.get());
        m_movie->start();
        size = m_movie->frameRect().size();
    } else {
        const QPixmap pixmap(path);
        m_label->setPixmap(pixmap);
        size = pixmap.size();
        if (pixmap.isNull()) {
            m_label->setText(tr("This image cannot be shown."));
        }
    }
    auto* scroll = new QScrollArea;
    scroll->setWidget(m_label);
    scroll->setWidgetResizable(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);
    const QSize screen =
        QGuiApplication::primaryScreen() ? QGuiApplication::primaryScreen()->availableSize() * 0.8 : QSize(1024, 768);
    resize(size.isValid() ? size.boundedTo(screen).expandedTo(QSize(200, 150)) + QSize(4, 4) : QSize(400, 300));
}

ImageViewer::~ImageViewer() = default;

bool ImageViewer::event(QEvent* event) {
    // Esc is ours while the viewer is in front: claimed before the conversation
    // window's Esc shortcut (the viewer is its child window) can close a conversation.
    if (event->type() == QEvent::ShortcutOverride && static_cast<QKeyEvent*>(event)->key() == Qt::Key_Escape) {
        event->accept();
        return true;
    }
    return QWidget::event(event);
}

void ImageViewer::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Escape) {
        close();
        return;
    }
    QWidget::keyPressEvent(event);
}

}  // namespace parley::gui
