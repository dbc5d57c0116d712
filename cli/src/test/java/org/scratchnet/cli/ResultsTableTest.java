package org.scratchnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.scratchnet.core.EpochStats;

/** Statistics, table rendering and JSON writing with hand-made runs (no training). */
class ResultsTableTest {

    @Test
    void statsAreMeanSampleSdMinMax() {
        Stats s = Stats.of(2, 4, 4, 4, 5, 5, 7, 9);
        assertEquals(8, s.n());
        assertEquals(5.0, s.mean(), 1e-12);
        assertEquals(Math.sqrt(32.0 / 7), s.sd(), 1e-12);
        assertEquals(2, s.min());
        assertEquals(9, s.max());
        assertTrue(Double.isNaN(Stats.of(97.5).sd()), "one value has no sample sd");
        assertEquals(0, Stats.of().n());
    }

    private static Run run(Experiment e, long seed, double... accuracies) {
        EpochStats[] h = new EpochStats[accuracies.length];
        for (int i = 0; i < h.length; i++) {
            h[i] = new EpochStats(i + 1, 0.5 / (i + 1), 0.9, accuracies[i], Double.NaN, 0.5, 2.0 - (i == 0 ? 0 : 1),
                    60000 / 2.0);
        }
        return new Run(e, seed, List.of(h));
    }

    @Test
    void markdownRowHasPublishedMeanSdMinMaxSecondsAndTheNoteMarker() {
        Experiment row1 = Experiment.row(1).get(0).withEpochs(2);
        Experiment plain = Experiment.row(1).get(1).withEpochs(2);
        ResultsTable t = new ResultsTable(List.of(run(row1, 1, 0.97, 0.98), run(row1, 2, 0.97, 0.99),
                run(plain, 1, 0.96, 0.975)), 10, "row");
        String md = t.markdown(true);
        List<String> lines = md.lines().toList();
        assertEquals(4, lines.size(), md);
        assertEquals("| 1 | 2 | 128 | 200/100/25/10 | 0.5 | ema 0.9 | 98.42 | 98.50 ± 0.71 | 98.00 | 99.00 | 2 | 3.0 |",
                lines.get(2));
        assertEquals("| 1 (plain SGD) | 2 | 128 | 200/100/25/10 | 0.5 | off | 98.42¹ | 97.50 | 97.50 | 97.50 | 1 "
                + "| 3.0 |",
                lines.get(3));
        List<String> csv = t.csv().lines().toList();
        assertEquals(4, csv.size());
        assertEquals("row,epochs,batch,layers,lr,momentum,published_percent,seed,test_accuracy_percent,"
                + "final_train_loss,seconds,seconds_per_epoch_after_first,diverged,failed", csv.get(0));
        assertEquals("1,2,128,200/100/25/10,0.5,ema 0.9,98.42,2,99.00,0.250000,3.000,1.000,false,false", csv.get(2));
        assertTrue(csv.get(3).startsWith("1 (plain SGD),2,128,200/100/25/10,0.5,off,98.42,1,97.50,"), csv.get(3));
    }

    @Test
    void divergedRunsAreCountedNamedAndLeftOutOfTheStatistics() {
        Experiment row3 = Experiment.row(3).get(0).withEpochs(2);
        Run diverged = new Run(row3, 2, List.of(), true, "epoch 1, batch 7");
        ResultsTable t = new ResultsTable(List.of(run(row3, 1, 0.95, 0.97), diverged), 10, "row");
        assertEquals("| 3 | 2 | 128 | 100/50/10 | 0.5 | off | 97.51 | 97.00 | 97.00 | 97.00 | 2 (1 diverged) | 3.0 |",
                t.markdown(true).lines().toList().get(2));
        assertTrue(t.divergedNote().contains("row 3, seed 2: epoch 1, batch 7"), t.divergedNote());
        assertEquals("", new ResultsTable(List.of(run(row3, 1, 0.9)), 10, "row").divergedNote());
        assertTrue(t.csv().lines().toList().get(2).endsWith(",true,false"), t.csv());
    }

    @Test
    void everyTableRowHasItsPublishedNumber() {
        assertEquals(2, Experiment.row(1).size());
        assertEquals(0.9814, Experiment.row(2).get(0).published());
        assertEquals(0.0, Experiment.row(3).get(0).momentum());
        assertEquals(60000, Experiment.row(4).get(0).batch());
        assertEquals(0.6516, Experiment.row(5).get(0).published());
    }

    @Test
    void jsonEscapesAndWritesNaNAsNull() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "a \"quoted\"\nline\\");
        m.put("nan", Double.NaN);
        m.put("n", 3);
        m.put("x", 0.25);
        m.put("list", List.of(true, "s"));
        String json = new Json().value(m).toString();
        assertEquals("{\n  \"name\": \"a \\\"quoted\\\"\\nline\\\\\",\n  \"nan\": null,\n  \"n\": 3,\n  \"x\": 0.25,\n"
                + "  \"list\": [\n    true,\n    \"s\"\n  ]\n}", json);
    }
}
