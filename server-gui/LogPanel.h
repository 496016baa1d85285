#pragma once
// LogPanel: the "Log" tab. Keeps the last kLinesKept lines in memory, shows
// those at or above the chosen level that contain the search text, and appends
// every line to a rotating file (RotatingLogFile) when one is given. The
// engine's lines carry no message contents (names, ids, sizes and addresses
// only); this panel adds none either.
//
// Object names: logLevelCombo, logSearchEdit, logView.
// Threading: GUI thread only.

#include <QString>
#include <QWidget>

#include <deque>
#include <memory>

class QComboBox;
class QLineEdit;
class QPlainTextEdit;

namespace parley::server {

class RotatingLogFile;

class LogPanel final : public QWidget {
    Q_OBJECT
public:
    static constexpr std::size_t kLinesKept = 5000;

    /// `file`: where lines are also written (rotated); empty: memory only.
    explicit LogPanel(const QString& file, QWidget* parent = nullptr);
    ~LogPanel() override;

public slots:
    void append(const QString& time, const QString& level, const QString& text);

private slots:
    void refilter();

private:
    struct Line {
        int level = 0;
        QString text;
    };
    bool shown(const Line& line) const;

    Q_DISABLE_COPY(LogPanel)
    std::deque<Line> m_lines;
    std::unique_ptr<RotatingLogFile> m_file;
    QComboBox* m_levelCombo;
    QLineEdit* m_searchEdit;
    QPlainTextEdit* m_view;
};

/// A log file that is moved to FILE.1 (FILE.1 to FILE.2, ...) once it passes
/// maxBytes; `keep` old files are kept. Created readable by its owner only.
class RotatingLogFile {
public:
    RotatingLogFile(QString path, qint64 maxBytes = 1024 * 1024, int keep = 3);
    /// Appends one line (a newline is added). Errors are dropped: the log must not stop the server.
    void write(const QString& line);

private:
    void rotate();

    QString m_path;
    qint64 m_maxBytes;
    int m_keep;
};

}  // namespace parley::server
