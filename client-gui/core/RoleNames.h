#pragma once
// Role names of the list models (for QML and debugging tools), from one table each.

#include <QByteArray>
#include <QHash>

#include <cstddef>

namespace parley::gui {

struct RoleName {
    int role;
    const char* name;
};

/// `base` (the default role names) plus every entry of `table`.
template <std::size_t N>
QHash<int, QByteArray> withRoleNames(QHash<int, QByteArray> base, const RoleName (&table)[N]) {
    for (const RoleName& entry : table) {
        base.insert(entry.role, QByteArray(entry.name));
    }
    return base;
}

}  // namespace parley::gui
