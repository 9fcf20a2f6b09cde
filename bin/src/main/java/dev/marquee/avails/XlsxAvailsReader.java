package dev.marquee.avails;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.usermodel.WorkbookFactory;

/**
 * The EMA Avails Excel template (v1.7 and later; one transaction per row). Columns are found by
 * their header names, never by position: the template has a class row (Avail, AvailTrans,
 * AvailAsset, ...) above a field-name row (ALID, Territory, Start, ...), then a row of //REQ and
 * //Opt remarks, then the data. Any sheet with an ALID, Territory and LicenseType header is read.
 */
final class XlsxAvailsReader {
    private static final int HEADER_SEARCH_ROWS = 10;

    private XlsxAvailsReader() {}

    static List<AvailRow> read(InputStream in, String fileName) throws NotAvailsException {
        try (Workbook workbook = WorkbookFactory.create(in)) {
            List<AvailRow> rows = new ArrayList<>();
            boolean found = false;
            DataFormatter formatter = new DataFormatter(Locale.ROOT);
            for (Sheet sheet : workbook) {
                Map<String, Integer> columns = null;
                int headerRow = -1;
                for (int r = 0; r <= Math.min(HEADER_SEARCH_ROWS, sheet.getLastRowNum()); r++) {
                    Map<String, Integer> candidate = headers(sheet.getRow(r), formatter);
                    if (candidate.containsKey("alid")
                            && candidate.containsKey("territory")
                            && candidate.containsKey("licensetype")) {
                        columns = candidate;
                        headerRow = r;
                        break;
                    }
                }
                if (columns == null) {
                    continue;
                }
                found = true;
                for (int r = headerRow + 1; r <= sheet.getLastRowNum(); r++) {
                    AvailRow row = readRow(sheet, r, columns, formatter);
                    if (row != null) {
                        rows.add(row);
                    }
                }
            }
            if (!found) {
                throw new NotAvailsException(
                        fileName
                                + " is not an EMA Avails template (no sheet has ALID, Territory"
                                + " and LicenseType column headers)");
            }
            return rows;
        } catch (IOException | RuntimeException e) {
            throw new NotAvailsException(
                    "cannot read " + fileName + " as an Excel workbook: " + e.getMessage(), e);
        }
    }

    /** Field name (lower case) to column index; the first column of a name wins. */
    private static Map<String, Integer> headers(Row row, DataFormatter formatter) {
        Map<String, Integer> columns = new HashMap<>();
        if (row == null) {
            return columns;
        }
        for (Cell cell : row) {
            String name = formatter.formatCellValue(cell).trim();
            if (!name.isEmpty()) {
                columns.putIfAbsent(name.toLowerCase(Locale.ROOT), cell.getColumnIndex());
            }
        }
        return columns;
    }

    private static AvailRow readRow(
            Sheet sheet, int r, Map<String, Integer> columns, DataFormatter formatter) {
        Row cells = sheet.getRow(r);
        if (cells == null) {
            return null;
        }
        Cells get = new Cells(cells, columns, formatter);
        String alid = get.text("ALID");
        String territory = get.text("Territory");
        String licenseType = get.text("LicenseType");
        String entryType = get.text("EntryType");
        if (alid == null && territory == null && licenseType == null && entryType == null) {
            return null;
        }
        for (String value : new String[] {alid, territory, licenseType, entryType}) {
            if (value != null && value.startsWith("//")) {
                return null; // the template's //REQ //Opt remarks row
            }
        }
        AvailRow row = new AvailRow();
        row.alid = alid;
        row.transactionId = get.text("AvailID");
        row.location =
                "sheet '"
                        + sheet.getSheetName()
                        + "' row "
                        + (r + 1)
                        + (row.transactionId != null ? " (AvailID " + row.transactionId + ")" : "")
                        + (alid != null ? " (ALID " + alid + ")" : "");
        row.entryType = entryType;
        row.licensor = get.text("DisplayName");
        row.licenseType = licenseType;
        split(territory, row.territories);
        split(get.text("TerritoryExclusion"), row.excludedTerritories);
        split(get.text("TerritoryExcluded"), row.excludedTerritories);
        String start = get.when("Start");
        if (start != null && !start.matches("\\d.*")) {
            row.startCondition = start;
        } else {
            row.start = start;
        }
        row.startLag = get.text("StartLag");
        String end = get.when("End");
        if (end != null && !end.matches("\\d.*")) {
            row.endCondition = end;
        } else {
            row.end = end;
        }
        row.endLag = get.text("EndLag");
        row.windowDuration = get.text("WindowDuration");
        row.formatProfile = get.text("FormatProfile");
        row.hdr = get.text("HDR");
        row.exclusive = get.text("Exclusive");
        row.exclusiveAttributes = get.text("ExclusiveAttributes");
        for (String column :
                new String[] {
                    "TitleID",
                    "EditID",
                    "ContentID",
                    "EpisodeID",
                    "EpisodeContentID",
                    "SeasonContentID",
                    "SeriesContentID"
                }) {
            String id = get.text(column);
            if (id != null) {
                row.contentIdCandidates.add(id);
            }
        }
        return row;
    }

    private static void split(String value, List<String> out) {
        if (value == null) {
            return;
        }
        for (String code : value.split("[,;\\s]+")) {
            if (!code.isBlank()) {
                out.add(code.trim());
            }
        }
    }

    /** Cell access by header name. */
    private record Cells(Row row, Map<String, Integer> columns, DataFormatter formatter) {
        Cell cell(String header) {
            Integer index = columns.get(header.toLowerCase(Locale.ROOT));
            return index == null ? null : row.getCell(index);
        }

        String text(String header) {
            Cell cell = cell(header);
            if (cell == null) {
                return null;
            }
            String value = formatter.formatCellValue(cell).trim();
            return value.isEmpty() ? null : value;
        }

        /**
         * A Start or End cell: an Excel date (date-formatted or a bare serial number) becomes an
         * ISO date, or a local date-time when it has a time of day; text is kept as written.
         */
        String when(String header) {
            Cell cell = cell(header);
            if (cell == null) {
                return null;
            }
            CellType type =
                    cell.getCellType() == CellType.FORMULA
                            ? cell.getCachedFormulaResultType()
                            : cell.getCellType();
            if (type == CellType.NUMERIC) {
                LocalDateTime at = DateUtil.getLocalDateTime(cell.getNumericCellValue());
                return at.toLocalTime().equals(java.time.LocalTime.MIDNIGHT)
                        ? at.toLocalDate().toString()
                        : at.toString();
            }
            return text(header);
        }
    }
}
