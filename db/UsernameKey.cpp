#include "db/UsernameKey.h"

#include <QByteArray>
#include <QString>

namespace parley::db {

std::string usernameKey(std::string_view username) {
    const QString name = QString::fromUtf8(username.data(), static_cast<int>(username.size()));
    return name.normalized(QString::NormalizationForm_C).toCaseFolded().toStdString();
}

}  // namespace parley::db
