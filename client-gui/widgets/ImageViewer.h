#pragma once
// The window a click on an image thumbnail opens: the whole image, scrollable, an
// animated GIF playing. Closes with Esc (and only the viewer: not the conversation
// behind it); deletes itself when closed.
//
// Object names: imageViewer, imageViewerLabel.
//
// Threading: GUI thread only. The image is decoded when the window opens (the person
// asked for it); thumbnails in the conversation never decode here (ThumbnailCache).

#include <QWidget>

#include <memory>

class QLabel;
class QMovie;

namespace parley::gui {

class ImageViewer final : public QWidget {
    Q_OBJECT
public:
    /// Opens a viewer for `path` (a top-level window owned by `owner`, deleted on close).
    static ImageViewer* open(const QString& path, QWidget* owner);

    ImageViewer(const QString& path, QWidget* owner);
    ~ImageViewer() override;

protected:
    bool event(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    QLabel* m_label;
    std::unique_ptr<QMovie> m_movie;
};

}  // namespace parley::gui
