-- Suggest fill (SCHEDULING.md §5): a location's auto-fill settings. Whether open slots here may be filled by
-- crew of the manager's other venues, and how much each soft goal counts (0 = ignored … 10). The defaults
-- are those of `FillWeights::default()` in the domain.

ALTER TABLE locations
    ADD COLUMN fill_allow_borrowing      BOOLEAN  NOT NULL DEFAULT false,
    ADD COLUMN fill_weight_contract_hours SMALLINT NOT NULL DEFAULT 8 CHECK (fill_weight_contract_hours BETWEEN 0 AND 10),
    ADD COLUMN fill_weight_preferred      SMALLINT NOT NULL DEFAULT 5 CHECK (fill_weight_preferred BETWEEN 0 AND 10),
    ADD COLUMN fill_weight_interest       SMALLINT NOT NULL DEFAULT 6 CHECK (fill_weight_interest BETWEEN 0 AND 10),
    ADD COLUMN fill_weight_fair_spread    SMALLINT NOT NULL DEFAULT 4 CHECK (fill_weight_fair_spread BETWEEN 0 AND 10),
    ADD COLUMN fill_weight_competency_margin SMALLINT NOT NULL DEFAULT 2
        CHECK (fill_weight_competency_margin BETWEEN 0 AND 10),
    ADD COLUMN fill_weight_home_venue     SMALLINT NOT NULL DEFAULT 5 CHECK (fill_weight_home_venue BETWEEN 0 AND 10),
    ADD COLUMN fill_weight_few_split_days SMALLINT NOT NULL DEFAULT 3 CHECK (fill_weight_few_split_days BETWEEN 0 AND 10);
