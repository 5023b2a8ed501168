import Foundation
import SchemaCapture
import SchemaModel
import Testing

@testable import MySQLCapture

@Suite struct SessionSettingsTests {
    @Test func whatThePrintedTextDependsOnIsPinned() {
        #expect(
            CatalogQueries.printSettings
                == "SET SESSION sql_mode = '', SESSION sql_quote_show_create = 1, SESSION time_zone = '+00:00', "
                + "SESSION sql_select_limit = 18446744073709551615, SESSION sql_big_selects = 1")
    }
}
