package dev.marquee.avails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marquee.io.AvroJson;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Excel template, built here with POI in the template's layout (class row, field-name row,
 * //REQ remarks row, data), with columns in a different order than the template's: the reader must
 * go by header names.
 */
class XlsxAvailsTest {
    @TempDir Path dir;

    private static final String[] CLASSES = {
        "Avail", "AvailTrans", "AvailTrans", "AvailTrans", "Disposition", "AvailTrans",
        "AvailTrans", "AvailTrans", "AvailTrans", "AvailTrans", "AvailTrans", "AvailAsset",
        "Avail", "AvailTrans", "AvailTrans", "Avail", "AvailTrans"
    };
    private static final String[] FIELDS = {
        "ALID",
        "Territory",
        "TerritoryExclusion",
        "LicenseType",
        "EntryType",
        "FormatProfile",
        "HDR",
        "Start",
        "StartLag",
        "End",
        "WindowDuration",
        "TitleID",
        "AvailID",
        "Exclusive",
        "ExclusiveAttributes",
        "DisplayName",
        "EndLag"
    };

    private Path workbook(Object[][] data) throws Exception {
        Path file = dir.resolve("avails.xlsx");
        try (XSSFWorkbook wb = new XSSFWorkbook();
                OutputStream out = Files.newOutputStream(file)) {
            Sheet sheet = wb.createSheet("Movies");
            CellStyle dateStyle = wb.createCellStyle();
            dateStyle.setDataFormat(
                    wb.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd"));
            Row classes = sheet.createRow(0);
            Row fields = sheet.createRow(1);
            Row remarks = sheet.createRow(2);
            for (int c = 0; c < FIELDS.length; c++) {
                classes.createCell(c).setCellValue(CLASSES[c]);
                fields.createCell(c).setCellValue(FIELDS[c]);
                remarks.createCell(c).setCellValue("//Opt");
            }
            for (int r = 0; r < data.length; r++) {
                Row row = sheet.createRow(3 + r);
                for (int c = 0; c < data[r].length; c++) {
                    Object value = data[r][c];
                    if (value instanceof String s) {
                        row.createCell(c).setCellValue(s);
                    } else if (value instanceof LocalDate d) {
                        var cell = row.createCell(c);
                        cell.setCellValue(d);
                        cell.setCellStyle(dateStyle);
                    } else if (value instanceof Number n) {
                        row.createCell(c).setCellValue(n.doubleValue());
                    }
                }
            }
            sheet.createRow(3 + data.length + 2); // a blank row at the end is ignored
            wb.write(out);
        }
        return file;
    }

    @Test
    void templateRowsBecomeRights() throws Exception {
        Path file =
                workbook(
                        new Object[][] {
                            {
                                "alid-harbour",
                                "US, CA",
                                null,
                                "SVOD",
                                "Create",
                                "UHD",
                                "DV",
                                LocalDate.of(2027, 3, 1),
                                null,
                                "Open",
                                30,
                                "10.5240/1A2B-3C4D-5E6F-7A8B-9C0D-E",
                                "X-1",
                                1,
                                "first window",
                                "Marquee Test Pictures",
                                null
                            },
                            {
                                "alid-harbour",
                                "150",
                                "FR DE",
                                "VOD-Premium",
                                "Delete",
                                "hd",
                                null,
                                "2027-01-01",
                                null,
                                LocalDate.of(2027, 12, 31),
                                null,
                                null,
                                null,
                                "No",
                                null,
                                null,
                                null
                            },
                            {
                                "alid-harbour",
                                "USA",
                                null,
                                "EST",
                                "Update",
                                "HD",
                                null,
                                "Immediate",
                                2,
                                "Open",
                                null,
                                null,
                                "X-3",
                                null,
                                null,
                                null,
                                null
                            },
                            {
                                "alid-harbour",
                                "JP",
                                null,
                                "EST",
                                "Create",
                                "HD",
                                null,
                                "Immediate",
                                2,
                                "ESTStart",
                                null,
                                null,
                                "X-4",
                                null,
                                null,
                                null,
                                "P14D"
                            }
                        });

        AvailsResult result = AvailsParser.parse(file, AvailsParserTest.FILE_ISSUED);

        assertThat(result.format()).isEqualTo("xlsx");
        assertThat(result.rights().stream().map(AvroJson::toJsonString).toList())
                .containsExactly(
                        "{\"rightId\":\"X-1\",\"contentId\":\"eidr:10.5240/1A2B-3C4D-5E6F-7A8B-9C0D-E\","
                                + "\"revision\":1795161600000,\"status\":\"ACTIVE\","
                                + "\"territory\":[\"US\",\"CA\"],\"excludedTerritory\":[],"
                                + "\"windowStart\":\"2027-03-01\",\"windowEnd\":\"2027-03-31T00:00\","
                                + "\"exclusivity\":\"exclusive\",\"licenseType\":\"SVOD\","
                                + "\"formatProfiles\":[\"UHD\",\"HDR\"],\"exceptions\":[],"
                                + "\"issuedAt\":\"2026-11-20T08:00:00Z\",\"source\":\"avails"
                                + " avails.xlsx; ALID alid-harbour; TransactionID X-1; EntryType"
                                + " Create; Licensor Marquee Test Pictures; EndCondition Open;"
                                + " WindowDuration P30D; ExclusiveAttributes first window\"}",
                        "{\"rightId\":\"alid-harbour/VOD-Premium/150/HD/2027-01-01\","
                                + "\"contentId\":\"alid:alid-harbour\",\"revision\":1795161600000,"
                                + "\"status\":\"REVOKED\",\"territory\":[\"150\"],"
                                + "\"excludedTerritory\":[\"FR\",\"DE\"],"
                                + "\"windowStart\":\"2027-01-01\",\"windowEnd\":\"2027-12-31\","
                                + "\"exclusivity\":\"non-exclusive\",\"licenseType\":\"VOD-Premium\","
                                + "\"formatProfiles\":[\"HD\"],\"exceptions\":[],"
                                + "\"issuedAt\":\"2026-11-20T08:00:00Z\",\"source\":\"avails"
                                + " avails.xlsx; ALID alid-harbour; EntryType Delete\"}");
        assertThat(result.errors())
                .containsExactly(
                        "sheet 'Movies' row 6 (AvailID X-3) (ALID alid-harbour): Territory:"
                                + " territory code 'USA' looks like ISO alpha-3; use alpha-2");
        assertThat(result.notes())
                .containsExactly(
                        "sheet 'Movies' row 7 (AvailID X-4) (ALID alid-harbour): not a right yet:"
                                + " ends on condition 'ESTStart' with lag P14D, which is not an"
                                + " instant; ingest it again once the date is known");
    }

    @Test
    void aWorkbookWithoutTheTemplateHeadersIsNotAvails() throws Exception {
        Path file = dir.resolve("other.xlsx");
        try (XSSFWorkbook wb = new XSSFWorkbook();
                OutputStream out = Files.newOutputStream(file)) {
            wb.createSheet("Budget").createRow(0).createCell(0).setCellValue("Cost centre");
            wb.write(out);
        }

        assertThatThrownBy(() -> AvailsParser.parse(file, AvailsParserTest.FILE_ISSUED))
                .isInstanceOf(NotAvailsException.class)
                .hasMessage(
                        "other.xlsx is not an EMA Avails template (no sheet has ALID, Territory"
                                + " and LicenseType column headers)");
    }
}
