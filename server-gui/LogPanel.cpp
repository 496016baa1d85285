#include "server-gui/LogPanel.h"

#include <QComboBox>
#include <QFile>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace parley::server {
namespace {

const QStringList kLevels = {QStringLiteral("debug"), QStringLiteral("info"), QStringLiteral("warn"),
                             QStringLiteral("error")};

int levelOf(const QString& name) {
    const int index = kLevels.indexOf(name);
    return index < 0 ? 1 : index;
}

}  // namespace

LogPanel::LogPanel(const QString& file, QWidget* parent)
    : QWidget(parent),
      m_file(file.isEmpty() ? nullptr : std::make_unique<RotatingLogFile>(file)),
      m_levelCombo(new QComboBox),
      m_searchEdit(new QLineEdit),
      m_view(new QPlainTextEdit) {
    m_levelCombo->setObjectName(QStringLiteral("logLevelCombo"));
    m_searchEdit->setObjectName(QStringLiteral("logSearchEdit"));
    m_view->setObjectName(QStringLiteral("logView"));
    m_levelCombo->addItems({tr("All"), tr("Info and above"), tr("Warnings and errors"), tr("Errors")});
    m_levelCombo->setCurrentIndex(1);
    m_searchEdit->setPlaceholderText(tr("Search the log…"));
    m_searchEdit->setClearButtonEnabled(true);
    m_view->setReadOnly(true);
    m_view->setMaximumBlockCount(static_cast<int>(kLinesKept));
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_view->setLineWrapMode(QPlainTextEdit::WidgetWidth);

    auto* layout = new QVBoxLayout(this);
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Show:")));
    bar->addWidget(m_levelCombo);
    bar->addWidget(m_searchEdit, 1);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    if (!file.isEmpty()) {
        auto* where = new QLabel(tr("Also written to %1").arg(file));
        where->setTextInteractionFlags(Qt::TextSelectableByMouse);
        layout->addWidget(where);
    }

    connect(m_levelCombo, qOverload<int>(&QComboBox::currentIndexChanged), this, &LogPanel::refilter);
    connect(m_searchEdit, &QLineEdit::textChanged, this, &LogPanel::refilter);
}

LogPanel::~LogPanel() = default;

void LogPanel::append(const QString& time, const QString& level, const QString& text) {
    Line line{levelOf(level), QStringLiteral("%1 [%2] %3").arg(time, level, text)};
    if (m_file) m_file->write(line.text);
    if (shown(line)) m_view->appendPlainText(line.text);
    m_lines.push_back(std::move(line));
    if (m_lines.size() > kLinesKept) m_lines.pop_front();
}

bool LogPanel::shown(const Line& line) const {
    return line.level >= m_levelCombo->currentIndex() &&
           (m_searchEdit->text().isEmpty() || line.text.contains(m_searchEdit->text(), Qt::CaseInsensitive));
}

void LogPanel::refilter() {
    QStringList visible;
    for (const Line& line : m_lines)
        if (shown(line)) visible << line.text;
    m_view->setPlainText(visible.join(QLatin1Char('\n')));
    m_view->moveCursor(QTextCursor::End);
}

RotatingLogFile::RotatingLogFile(QString path, qint64 maxBytes, int keep)
    : m_path(std::move(path)), m_maxBytes(maxBytes), m_keep(keep) {}

void RotatingLogFile::write(const QString& line) {
    QFile file(m_path);
    if (file.exists() && file.size() >= m_maxBytes) rotate();
    const bool created = !file.exists();
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Text)) return;
    if (created) file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(line.toUtf8());
    file.write("\n");
}

void RotatingLogFile::rotate() {
    const auto numbered = [this](int n) { return QStringLiteral("%1.%2").arg(m_path).arg(n); };
    QFile::remove(numbered(m_keep));
    for (int n = m_keep - 1; n >= 1; --n) QFile::rename(numbered(n), numbered(n + 1));
    QFile::rename(m_path, numbered(1));
}

}  // namespace parley::server
