"""Tables: DataFrames wherever arrays go, the TableEncoder's record and its errors, and a TableModel saved and
loaded in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest
import torch

import nnbook
from nnbook.data import TableEncoder, frame_to_tensor, penguins_csv, split_table, train_valid_split
from nnbook.models import TableModel, load, mlp, save
from nnbook.plots import plot_data
from nnbook.training import evaluate, fit, predict


@pytest.fixture
def shop() -> pd.DataFrame:
    """A reader's own table: numbers, a text column with a gap, a numeric gap and a text label."""
    rng = np.random.default_rng(0)
    n = 60
    return pd.DataFrame(
        {
            "age": rng.uniform(20, 70, n).round(),
            "income": rng.normal(50_000, 10_000, n),
            "city": rng.choice(["A", "B", "C"], n),
            "hours": rng.uniform(0, 10, n),
            "bought": rng.choice(["no", "yes"], n),
        }
    ).assign(city=lambda t: t["city"].where(t.index != 3, None), hours=lambda t: t["hours"].where(t.index != 5))


# frame_to_tensor: the DataFrame path of fit, predict, evaluate, the splits and the plots


def test_frame_to_tensor_keeps_rows_and_types():
    t = frame_to_tensor(pd.DataFrame({"a": [1.5, 2.0], "b": [True, False], "c": [1, 2]}))
    assert t.dtype == torch.float32 and t.tolist() == [[1.5, 1.0, 1.0], [2.0, 0.0, 2.0]]
    labels = frame_to_tensor(pd.Series([0, 2, 1]))
    assert labels.dtype == torch.int64 and labels.shape == (3, 1)


def test_text_where_a_number_is_expected_names_the_column(shop):
    with pytest.raises(TypeError, match=r"train x: column 'city' holds text \(for example 'C'\).*get_dummies"):
        fit(mlp([4, 4, 1]), (shop.drop(columns=["bought"]), shop[["age"]]), epochs=1, lr=0.01, progress=False)


def test_text_labels_get_the_factorize_hint(shop):
    with pytest.raises(TypeError, match=r"column 'bought' holds text.*pd.factorize"):
        fit(mlp([2, 4, 2]), (shop[["age", "income"]], shop["bought"]), epochs=1, lr=0.01, loss="cross_entropy")


def test_missing_values_name_the_column_and_rows(shop):
    with pytest.raises(ValueError, match=r"column 'hours' has 1 missing value\(s\) \(rows \[5\]\)"):
        predict(mlp([2, 4, 1]), shop[["age", "hours"]])


def test_dataframes_go_where_arrays_go(shop):
    numbers = shop[["age", "income"]]
    x = (numbers - numbers.mean()) / numbers.std()
    y = (shop["bought"] == "yes").astype(int)  # a Series of labels 0/1
    nnbook.set_seed(0)
    net = mlp([2, 4, 2])
    history = fit(net, (x, y), (x, y), epochs=3, lr=0.01, loss="cross_entropy", metrics=["accuracy"], progress=False)
    assert len(history) == 3
    same = predict(net, torch.tensor(x.to_numpy(np.float32)))
    assert torch.equal(predict(net, x), same)
    scores = evaluate(net, (x, y), ["accuracy", "cross_entropy"])
    assert scores["cross_entropy"] == pytest.approx(float(torch.nn.functional.cross_entropy(same, torch.tensor(y))))
    split = train_valid_split(x, y, valid_fraction=0.25, seed=0)
    assert split.x_train.shape == (45, 2) and split.y_valid.dtype == torch.int64
    assert plot_data(x[["age"]], shop[["income"]]) is not None


def test_evaluate_scores_loss_names():
    logits = torch.tensor([[0.0], [0.0]])
    scores = evaluate(torch.nn.Identity(), (logits, torch.tensor([[0.0], [1.0]])), ["bce"])
    assert scores["bce"] == pytest.approx(np.log(2))


# split_table


def test_split_table_is_stratified_and_disjoint():
    table = pd.read_csv(penguins_csv())
    parts = split_table(table, valid=0.2, test=0.2, stratify="species", seed=1)
    index = [set(p.index) for p in (parts.train, parts.valid, parts.test)]
    assert sum(map(len, index)) == len(table) and not (
        index[0] & index[1] or index[0] & index[2] or index[1] & index[2]
    )
    share = table["species"].value_counts(normalize=True)
    for part in (parts.train, parts.valid, parts.test):
        assert (part["species"].value_counts(normalize=True) - share).abs().max() < 0.02
    again = split_table(table, valid=0.2, test=0.2, stratify="species", seed=1)
    assert again.test.index.equals(parts.test.index)


def test_split_table_errors():
    table = pd.DataFrame({"x": range(10)})
    with pytest.raises(KeyError, match="stratify='kind'"):
        split_table(table, stratify="kind")
    with pytest.raises(ValueError, match="leave no rows for training"):
        split_table(table, valid=0.5, test=0.5)


def test_split_table_keeps_every_class_in_train():
    table = pd.DataFrame({"x": range(40), "k": ["a"] * 36 + ["b"] * 2 + ["c"] * 2})
    for seed in range(5):
        parts = split_table(table, valid=0.3, test=0.3, stratify="k", seed=seed)
        assert set(parts.train["k"]) == {"a", "b", "c"}
        assert sum(map(len, (parts.train, parts.valid, parts.test))) == len(table)
    one = pd.DataFrame({"x": range(11), "k": ["a"] * 10 + ["b"]})
    assert split_table(one, stratify="k").train["k"].tolist().count("b") == 1


def test_split_table_takes_numpy_fractions_and_one_stratify_name():
    table = pd.DataFrame({"x": range(10), "k": ["a", "b"] * 5})
    plain = split_table(table, valid=0.2, test=0.2, seed=0)
    numpy = split_table(table, valid=np.float32(0.2), test=np.float64(0.2), seed=np.int64(0))
    assert numpy.valid.index.equals(plain.valid.index) and numpy.test.index.equals(plain.test.index)
    with pytest.raises(TypeError, match="one column, such as stratify='k', got \\['k'\\]"):
        split_table(table, stratify=["k"])
    with pytest.raises(TypeError, match="stratify='k', got a Series"):
        split_table(table, stratify=table["k"])
    with pytest.raises(ValueError, match="valid must be a finite number ≥ 0 and < 1, got 1.5"):
        split_table(table, valid=1.5)


# TableEncoder: what it records


def test_the_shipped_penguins():
    table = pd.read_csv(penguins_csv())
    assert table.shape == (344, 8)
    assert sorted(table["species"].unique()) == ["Adelie", "Chinstrap", "Gentoo"]
    assert table["island"].dtype != float and table["sex"].isna().sum() == 11
    assert table["bill_length_mm"].isna().sum() == 2


def test_encoder_records_from_the_training_rows_only(shop):
    train, later = shop.iloc[:40], shop.iloc[40:]
    enc = TableEncoder(train, target="bought")
    assert enc.columns == ["age", "income", "city", "hours"]
    assert enc.features == ["age", "income", "city=A", "city=B", "city=C", "hours"]
    assert enc.classes == ["no", "yes"]
    x = enc.inputs(train)
    assert x[:, 0].mean().abs() < 1e-5 and x[:, 0].std() == pytest.approx(1.0, rel=1e-4)  # scaled on train
    assert enc.numeric["age"]["mean"] == pytest.approx(train["age"].mean())
    assert x[3, 2:5].tolist() == [0.0, 0.0, 0.0]  # a missing text value sets none of its one-hot columns
    filled = float(x[5, 5]) * enc.numeric["hours"]["std"] + enc.numeric["hours"]["mean"]
    assert filled == pytest.approx(train["hours"].median(), rel=1e-5)  # a missing number: the training median
    assert enc.targets(later).dtype == torch.int64  # labels are never scaled
    assert set(enc.targets(later).tolist()) <= {0, 1}


def test_a_numeric_target_is_scaled_and_the_model_undoes_it(shop):
    enc = TableEncoder(shop, target="income")
    assert enc.classes is None
    y = enc.targets(shop)
    assert y.shape == (60, 1) and float(y.mean()) == pytest.approx(0.0, abs=1e-5)
    model = TableModel(torch.nn.Linear(len(enc.features), 1), enc)
    torch.nn.init.zeros_(model.net.weight), torch.nn.init.zeros_(model.net.bias)
    assert model.predict(shop.head(2)).tolist() == pytest.approx([shop["income"].mean()] * 2)


def test_reordered_columns_are_read_by_name(shop):
    enc = TableEncoder(shop, target="bought")
    reordered = shop[["hours", "city", "bought", "income", "age"]]
    assert torch.equal(enc.inputs(reordered), enc.inputs(shop))


# TableEncoder: bad tables


def test_an_all_missing_column_is_refused(shop):
    with pytest.raises(ValueError, match=r"column 'empty' holds no values at all.*drop=\['empty'\]"):
        TableEncoder(shop.assign(empty=np.nan), target="bought")


def test_a_label_with_one_class_is_refused(shop):
    with pytest.raises(ValueError, match=r"target column 'bought' holds one class only \('yes'\)"):
        TableEncoder(shop.assign(bought="yes"), target="bought")


def test_a_missing_label_is_refused(shop):
    with pytest.raises(ValueError, match=r"'bought' has 1 missing value\(s\) \(rows \[7\]\)"):
        TableEncoder(shop.assign(bought=shop["bought"].where(shop.index != 7)), target="bought")


def test_an_unseen_category_is_refused(shop):
    enc = TableEncoder(shop, target="bought")
    with pytest.raises(
        ValueError, match=r"column 'city' holds the value\(s\) \['D'\] that the training rows never had"
    ):
        enc.inputs(shop.assign(city="D"))


def test_text_in_a_numeric_column_is_refused(shop):
    enc = TableEncoder(shop, target="bought")
    rows = shop.astype({"age": object})
    rows.loc[2, "age"] = "forty"
    with pytest.raises(TypeError, match=r"column 'age' holds text where a number is expected \(row 2: 'forty'\)"):
        enc.inputs(rows)
    rows.loc[2, "age"] = str(shop.loc[2, "age"])  # a number written as text is read as the number
    assert torch.equal(enc.inputs(rows), enc.inputs(shop))


def test_missing_and_extra_columns_are_refused(shop):
    enc = TableEncoder(shop, target="bought")
    with pytest.raises(ValueError, match=r"lacks the column\(s\) \['city'\]"):
        enc.inputs(shop.drop(columns=["city"]))
    with pytest.raises(ValueError, match=r"has column\(s\) the model was not trained on: \['id'\].*drop\(columns="):
        enc.inputs(shop.assign(id=1))
    with pytest.raises(TypeError, match="pandas DataFrame"):
        enc.inputs(shop.to_numpy())


def test_a_constant_column_is_refused(shop):
    with pytest.raises(ValueError, match=r"column 'shop' has the same value in every row"):
        TableEncoder(shop.assign(shop=1.0), target="bought")


def test_table_model_checks_the_network_width(shop):
    enc = TableEncoder(shop, target="bought")
    with pytest.raises(ValueError, match=r"mlp\(\[6, …\]\)"):
        TableModel(mlp([4, 2]), enc)


def test_table_model_checks_the_last_width_against_the_target(shop):
    """Two classes take 2 outputs or 1 (one logit); three or more exactly one per class; a number one output."""
    three = shop.assign(city=shop["city"].fillna("A"))
    enc = TableEncoder(three, target="city")
    with pytest.raises(
        ValueError, match=r"3 classes \['A', 'B', 'C'\] but the network gives 1 outputs: make the last width 3\."
    ):
        TableModel(mlp([len(enc.features), 1]), enc)
    with pytest.raises(ValueError, match=r"'income' is one number per row but the network gives 2 outputs"):
        TableModel(mlp([len(TableEncoder(shop, target="income").features), 2]), TableEncoder(shop, target="income"))
    two = TableEncoder(shop, target="bought")
    TableModel(mlp([len(two.features), 1]), two), TableModel(mlp([len(two.features), 2]), two)


def test_a_table_model_trains_and_scores_on_the_encoders_pairs(shop):
    """fit and evaluate take a TableModel with encoder.pair(rows) as they take its net: its outputs are on the
    scale of those targets, and predict gives the target's own units."""
    rows = shop.assign(spend=1000 + 10 * shop["age"])  # in the units of ~1,450
    enc = TableEncoder(rows.drop(columns=["income"]), target="spend")
    model = TableModel(torch.nn.Linear(len(enc.features), 1), enc)
    x, y = enc.pair(rows.drop(columns=["income"]))
    fit(model, (x, y), epochs=300, lr=0.1, progress=False)
    assert evaluate(model, (x, y), ["mae"])["mae"] < 1e-3  # scaled units, as the training loss
    predicted = model.predict(rows.drop(columns=["income"]))
    assert float((predicted - rows["spend"]).abs().max()) < 1.0  # the target's units, not the scaled ones


def test_numbers_as_classes_keep_their_values_and_order():
    """classes=True on a column of numbers: the class names are the numbers, in numeric order, so predictions
    compare equal to the column; True/False are classes without asking."""
    rng = np.random.default_rng(1)
    rows = pd.DataFrame({"a": rng.standard_normal(80)}).assign(k=lambda t: np.where(t["a"] > 0, 10, 2))
    enc = TableEncoder(rows, target="k", classes=True)
    assert enc.classes == [2, 10] and enc.targets(rows).tolist() == (rows["k"] == 10).astype(int).tolist()
    model = TableModel(mlp([1, 8, 2]), enc)
    fit(model, enc.pair(rows), epochs=150, lr=0.05, optimizer="adam", loss="cross_entropy", progress=False)
    assert (model.predict(rows) == rows["k"]).mean() > 0.95
    assert model.predict(rows, output="probabilities").columns.tolist() == [2, 10]
    assert TableEncoder(rows.assign(k=rows["a"] > 0), target="k").classes == [False, True]
    with pytest.raises(
        ValueError, match=r"holds the class\(es\) 5 that the training rows never had; the model knows \[2, 10\]"
    ):
        enc.targets(rows.assign(k=5))


# A saved TableModel: raw rows in a fresh interpreter


def test_saved_table_model_predicts_the_same_raw_rows_in_a_fresh_interpreter(shop, tmp_path):
    enc = TableEncoder(shop, target="bought")
    nnbook.set_seed(0)
    net = mlp([len(enc.features), 8, 2])
    fit(net, enc.pair(shop), epochs=5, lr=0.01, loss="cross_entropy", progress=False)
    model = TableModel(net, enc)
    save(model, tmp_path / "shop.pt")
    rows = shop.drop(columns=["bought"]).sample(frac=1.0, random_state=0)[["city", "hours", "age", "income"]]
    rows.to_csv(tmp_path / "rows.csv")
    script = textwrap.dedent(
        """
        import json, sys
        import pandas as pd
        from nnbook.models import load
        model = load(sys.argv[1])
        rows = pd.read_csv(sys.argv[2], index_col=0)
        p = model.predict(rows, output="probabilities")
        print(json.dumps({"labels": model.predict(rows).tolist(), "p": p.to_numpy().tolist(), "index": list(p.index)}))
        """
    )
    ran = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "shop.pt"), str(tmp_path / "rows.csv")],
        capture_output=True,
        text=True,
        check=True,
    )
    out = json.loads(ran.stdout)
    here = model.predict(rows, output="probabilities")
    assert out["labels"] == model.predict(rows).tolist()
    assert out["index"] == list(rows.index)
    assert np.array_equal(np.array(out["p"], dtype=np.float32), here.to_numpy())
    assert set(out["labels"]) <= {"no", "yes"}
    again = load(tmp_path / "shop.pt")
    assert again.encoder.state() == enc.state()


def test_the_saved_file_holds_plain_data_only(shop, tmp_path):
    enc = TableEncoder(shop, target="bought")
    save(TableModel(mlp([len(enc.features), 2]), enc), tmp_path / "m.pt")
    saved = torch.load(tmp_path / "m.pt", weights_only=True)  # refuses anything but tensors, numbers and strings
    assert saved["recipe"]["kind"] == "table"
    assert saved["recipe"]["encoder"]["levels"]["city"] == ["A", "B", "C"]


def test_pandas_rows_in_another_order_are_refused():
    """x and y taken apart and one re-sorted would pair each row with another row's target: refused, with the fix."""
    df = pd.DataFrame({"a": np.linspace(0, 1, 40), "b": np.linspace(1, 0, 40), "t": np.linspace(0, 2, 40)})
    x, y = df[["a", "b"]], df[["t"]].sort_values("t", ascending=False)
    with pytest.raises(ValueError, match=r"row labels differ.*y = y\.loc\[x\.index\]"):
        fit(mlp([2, 1]), (x, y), epochs=1, lr=0.01, progress=False)
    with pytest.raises(ValueError, match="row labels differ"):
        train_valid_split(x, y)
    history = fit(mlp([2, 1]), (x, y.loc[x.index]), epochs=1, lr=0.01, progress=False)  # aligned: accepted
    assert len(history) == 1


def test_a_date_column_is_refused_with_how_to_make_numbers_of_it(shop):
    dated = shop.assign(day=pd.date_range("2026-01-01", periods=len(shop), freq="D"))
    with pytest.raises(TypeError, match=r"column 'day' holds dates or durations.*\.dt\.year, then drop=\['day'\]"):
        TableEncoder(dated, target="bought")
    TableEncoder(dated, target="bought", drop=["day"])
