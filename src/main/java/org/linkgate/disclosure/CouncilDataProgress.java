package org.linkgate.disclosure;

import java.util.List;
import org.linkgate.fanout.Extracts;
import org.linkgate.intake.IntakeFiles;
import org.linkgate.returns.ReturnFiles;
import org.springframework.stereotype.Component;

/**
 * How far a council's linked data has come, asked of its owners (intake's ledger, fan-out's
 * extracts, the returns ledger): what it is made of, and whether every extract is back.
 * Feedback packs are sent when this changes and nothing is awaited.
 */
@Component
public class CouncilDataProgress {

    private final IntakeFiles intakes;
    private final Extracts extracts;
    private final ReturnFiles returns;

    public CouncilDataProgress(IntakeFiles intakes, Extracts extracts, ReturnFiles returns) {
        this.intakes = intakes;
        this.extracts = extracts;
        this.returns = returns;
    }

    /** What the council's linked data is made of; changes when a batch or a return is accepted. Null if none. */
    public String dataMark(String council) {
        long batches = intakes.acceptedCount(council);
        List<String> ids = extracts.idsOfCouncil(council);
        ReturnFiles.AcceptedTotals accepted = returns.acceptedTotals(ids);
        if (batches == 0 || accepted.files() == 0) {
            return null;
        }
        return "batches=" + batches + ";returns=" + accepted.files() + ";rows=" + accepted.rows();
    }

    /** No extract of the council waits to be sent or for a return that is not yet overdue. */
    public boolean allExtractsIn(String council) {
        return extracts.awaitedCount(council) == 0;
    }
}
