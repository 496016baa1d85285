// The words the windows use for states and times.
#include "client-gui/widgets/MessageStateText.h"
#include "client-gui/widgets/TimeText.h"

#include <boost/test/unit_test.hpp>

#include <QLocale>

using namespace parley::gui;

BOOST_AUTO_TEST_SUITE(texts)

BOOST_AUTO_TEST_CASE(each_delivery_state_has_its_words_and_a_refusal_its_reason) {
    BOOST_TEST(deliveryStateText(DeliveryState::Sending, {}) == QStringLiteral("sending…"));
    BOOST_TEST(deliveryStateText(DeliveryState::Stored, {}) == QStringLiteral("stored"));
    BOOST_TEST(deliveryStateText(DeliveryState::Delivered, {}) == QStringLiteral("delivered"));
    BOOST_TEST(deliveryStateText(DeliveryState::Read, {}) == QStringLiteral("read"));
    BOOST_TEST(deliveryStateText(DeliveryState::Refused, QStringLiteral("unknown recipient")) ==
               QStringLiteral("refused: unknown recipient"));
    BOOST_TEST(deliveryStateText(DeliveryState::Refused, {}) == QStringLiteral("refused"));
    BOOST_TEST(deliveryStateText(DeliveryState::Incoming, {}).isEmpty());
}

BOOST_AUTO_TEST_CASE(the_connection_says_when_it_tries_again) {
    BOOST_TEST(connectionStateText(ConnectionState::Reconnecting, 3) == QStringLiteral("reconnecting in 3 s"));
    BOOST_TEST(connectionStateText(ConnectionState::Connected, 0) == QStringLiteral("connected"));
    BOOST_TEST(connectionStateText(ConnectionState::Offline, 0) == QStringLiteral("offline"));
}

BOOST_AUTO_TEST_CASE(clock_times_have_no_seconds_in_any_locale) {
    const QLocale before;
    for (const char* name : {"C", "en_US", "de_DE", "fi_FI"}) {
        QLocale::setDefault(QLocale(QString::fromLatin1(name)));
        const QString text = clockText(QTime(14, 5, 37));
        BOOST_TEST(!text.contains(QStringLiteral("37")), name << ": " << text.toStdString());
        BOOST_TEST(text.contains(QStringLiteral("05")), name << ": " << text.toStdString());
    }
    QLocale::setDefault(before);
    const QDate today(2026, 12, 2);
    BOOST_TEST(dayText(today, today) == QStringLiteral("Today"));
    BOOST_TEST(dayText(today.addDays(-1), today) == QStringLiteral("Yesterday"));
    BOOST_TEST(!dayText(today.addDays(-2), today).isEmpty());
}

BOOST_AUTO_TEST_SUITE_END()
