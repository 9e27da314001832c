# ---
# jupyter:
#   jupytext:
#     default_lexer: ipython3
#     formats: md:myst,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Using nnbook on your own data
#
# The chapters so far trained on data the book made for them: tensors of numbers, no gaps, one or two
# inputs. A table of your own looks different. It comes as a CSV file, some columns hold text (a city, a
# colour, a yes/no), some cells are empty, and the label may have more than two classes. This chapter takes
# one such public table from the file to a saved model that predicts on raw rows in another program,
# in the order you would follow with your own file.
#
# **Learning objectives.** After this chapter you can
#
# - read a CSV file with pandas, look at its types, gaps and class balance, and decide what to do with
#   missing values;
# - encode text columns (one-hot) and scale numeric ones with what the training rows alone tell you;
# - split rows into training, validation and test parts, stratified by class, and score the test rows once;
# - explain softmax and the multi-class cross-entropy, and compare a network with a majority-class and a
#   linear baseline, by accuracy, a confusion matrix and per-class precision and recall;
# - save a model with everything it needs to read raw rows, and predict with it in a fresh process;
# - write each step in plain PyTorch and pandas, without this book's package.

# %% tags=["hide-cell"]
# On a fresh Colab or Binder runtime, install the book's package first; elsewhere this does nothing.
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("nnbook") is None:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "git+https://github.com/nnbook/nnbook"], check=True)

# %% [markdown]
# ## Read the table and look at it
#
# The table is the Palmer penguins data {cite:p}`horst2020palmerpenguins,gorman2014ecological`:
# {glue:text}`pg_rows` penguins of three species, measured on three islands of the Palmer Archipelago in
# Antarctica between {glue:text}`pg_first_year` and {glue:text}`pg_last_year`.
# It is released into the public domain (CC0) and ships with the book's package as a CSV file;
# {py:func}`~nnbook.data.penguins_csv` gives its path. With your own file you write the same line with your
# file's name: {py:func}`pandas.read_csv` reads it into a {py:class}`pandas.DataFrame`, one row per penguin.

# %%
import subprocess
import sys
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import torch

import nnbook
from nnbook import glue
from nnbook.data import TableEncoder, penguins_csv, split_table
from nnbook.models import TableModel, mlp, save
from nnbook.plots import plot_loss_curves
from nnbook.training import EarlyStopping, evaluate, fit, fit_seeds, predict

table = pd.read_csv(penguins_csv())  # your own: pd.read_csv("my-data.csv")
table.head()

# %% [markdown]
# Before any model, three questions: what type is each column, where are the gaps, and how are the classes
# balanced?

# %%
overview = pd.DataFrame({"type": table.dtypes.astype(str), "missing": table.isna().sum()})
glue("pg_rows", len(table))
glue("pg_missing_sex", int(table["sex"].isna().sum()))
no_measurements = table[["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]].isna().all(axis=1)
glue("pg_rows_no_measurements", int(no_measurements.sum()))
glue("pg_rows_no_measurements_no_sex", int((no_measurements & table["sex"].isna()).sum()))
glue("pg_mass_mean", float(table["body_mass_g"].mean()))
glue("pg_first_year", int(table["year"].min()))
glue("pg_last_year", int(table["year"].max()))
glue("pg_species", table["species"].nunique())
glue("pg_islands", table["island"].nunique())
glue("pg_depth_mean", float(table["bill_depth_mm"].mean()))
overview

# %% [markdown]
# `species`, `island` and `sex` hold text, the four measurements are numbers (millimetres and grams), and
# `year` is the year of the measurement. Of the {glue:text}`pg_rows` rows, {glue:text}`pg_missing_sex` lack
# the sex, and {glue:text}`pg_rows_no_measurements` of those lack all four measurements as well.
# <!-- claim: the-gaps-are-in-few-rows -->
#
# With your own file, read this table before anything else. A column of numbers shown as `str` holds at
# least one cell that is not a number (`"40,000"`, `"?"`, a unit), and the encoder below would take it
# for text and give each of its values a column of its own: find those cells with
# `table.loc[pd.to_numeric(table[c], errors="coerce").isna() & table[c].notna(), c]` and fix them (or read
# with `na_values=["?"]` or `thousands=","`). The other way round, a text column coded as numbers (a
# region 1, 2, 3) would be scaled as an amount: read it as text, `pd.read_csv(path, dtype={"region": "string"})`, here and in the
# prediction script.

# %%
counts = table["species"].value_counts()
glue("pg_adelie_share", counts["Adelie"] / len(table))
glue("pg_chinstrap_count", int(counts["Chinstrap"]))
by_island = pd.crosstab(table["species"], table["island"])
glue("pg_gentoo_islands", int((by_island.loc["Gentoo"] > 0).sum()))
glue("pg_chinstrap_islands", int((by_island.loc["Chinstrap"] > 0).sum()))
glue("pg_adelie_islands", int((by_island.loc["Adelie"] > 0).sum()))
by_island

# %% [markdown]
# The classes are not balanced: Adelie penguins make up {glue:text}`pg_adelie_share:.0%` of the rows, and
# there are only {glue:text}`pg_chinstrap_count` Chinstraps. <!-- claim: the-classes-are-not-balanced --> The
# island alone says a lot: Gentoo penguins were measured on {glue:text}`pg_gentoo_islands` island only,
# Chinstraps on {glue:text}`pg_chinstrap_islands`, and only Adelies on all {glue:text}`pg_adelie_islands`. <!-- claim: islands-give-away-some-species -->
# A plot of two measurements
# against each other, one colour per species, shows what the numbers add:

# %%
# Penguins by species: bill length against bill depth (left), flipper length against body mass (right)
fig, axes = plt.subplots(1, 2, figsize=(9, 3.6), layout="constrained")
for (name, rows), colour in zip(table.groupby("species"), ["tab:blue", "tab:orange", "tab:green"], strict=True):
    axes[0].scatter(rows["bill_length_mm"], rows["bill_depth_mm"], s=10, color=colour, label=name)
    axes[1].scatter(rows["flipper_length_mm"], rows["body_mass_g"], s=10, color=colour, label=name)
axes[0].set(xlabel="bill length (mm)", ylabel="bill depth (mm)")
axes[1].set(xlabel="flipper length (mm)", ylabel="body mass (g)")
axes[0].legend(fontsize=8)
nnbook.show(fig)


# %% [markdown]
# On the left, bill length and depth together separate the three species with little overlap; on the right,
# flipper length and body mass set the Gentoos apart but mix Adelies and Chinstraps. A crude rule makes this
# a number: scale the two measurements of a panel, then give each Adelie or Chinstrap penguin the species
# whose mean it lies closer to.

# %%
def nearest_mean_accuracy(rows: pd.DataFrame, columns: list[str]) -> float:
    """The share of ``rows`` whose species has the nearest mean in the (scaled) ``columns``."""
    scaled = (rows[columns] - rows[columns].mean()) / rows[columns].std()
    means = scaled.groupby(rows["species"]).mean()
    distances = pd.DataFrame({name: ((scaled - mean) ** 2).sum(axis=1) for name, mean in means.iterrows()})
    return float((distances.idxmin(axis=1) == rows["species"]).mean())


pair = table[table["species"].isin(["Adelie", "Chinstrap"])].dropna(subset=["bill_length_mm"])
glue("pg_bill_pair_accuracy", nearest_mean_accuracy(pair, ["bill_length_mm", "bill_depth_mm"]))
glue("pg_size_pair_accuracy", nearest_mean_accuracy(pair, ["flipper_length_mm", "body_mass_g"]))
glue("pg_pair_adelie_share", float((pair["species"] == "Adelie").mean()));

# %% [markdown]
# With the bill measurements the rule tells Adelie from Chinstrap for {glue:text}`pg_bill_pair_accuracy:.0%` of
# these penguins; with flipper length and body mass for {glue:text}`pg_size_pair_accuracy:.0%`, hardly better than
# always answering Adelie ({glue:text}`pg_pair_adelie_share:.0%`). <!-- claim: the-bill-tells-adelie-from-chinstrap --> A model that uses all
# the columns has an easy task for Gentoo and a harder one between Adelie and Chinstrap.
#
# ## Decide about the gaps
#
# Every missing value needs a decision, and the reason for it:
#
# - The {glue:text}`pg_rows_no_measurements` rows without any measurement hold only a species, an island and a year.
#   We drop them: a prediction from them would be a guess from the island.
# - The other rows without a sex we keep. The sex becomes two 0/1 columns below (female, male); for
#   these rows both are 0, "not recorded", and the model learns what that means from the few rows like
#   them ({glue:text}`pg_kept_no_sex` of the rows kept). <!-- claim: few-kept-rows-lack-a-sex -->
# - A missing measurement, in a training row or in one that comes later, is filled with the median of
#   the training rows, a typical value that outliers do not pull. The encoder below records that median
#   and fills the training rows with it before it computes their mean and spread.
# - We leave out `year`: it says when a penguin was measured, not what it is. In your own table, leave out
#   likewise a column that names a row instead of describing it (an id, a name, a free-text note): one-hot,
#   each of its values would become a column, and new rows would bring values the model never saw.

# %%
penguins = table[~no_measurements]
glue("pg_rows_kept", len(penguins))
glue("pg_kept_no_sex", int(penguins["sex"].isna().sum()))
print(f"{len(penguins)} rows kept")

# %% [markdown]
# ## Split first: training, validation, test
#
# Every decision that follows (which levels a text column has, the mean and spread of a measurement) is
# learned from the training rows only, so the split comes first. {py:func}`~nnbook.data.split_table` shuffles
# the rows into three parts: training rows to fit the weights, validation rows to choose between models and
# to stop training, and test rows that we score **once, at the end**, for the number we report. Chapter 7
# noted why: a score that was used to choose flatters, a little for one choice (there, the epoch) and more
# with every setting tuned against the same rows. `stratify="species"` splits each species on
# its own, so that all three parts keep the table's balance (with a plain shuffle, the share of the few
# Chinstraps in a part of a fifth of the rows would be left to chance).

# %%
parts = split_table(penguins, valid=0.2, test=0.2, stratify="species", seed=0)
balance = pd.DataFrame({part: getattr(parts, part)["species"].value_counts() for part in ("train", "valid", "test")})
for part in ("train", "valid", "test"):
    glue(f"pg_{part}_rows", len(getattr(parts, part)))
shares = balance / balance.sum()
glue("pg_split_share_gap", float((shares.max(axis=1) - shares.min(axis=1)).max()))
balance

# %% [markdown]
# That is {glue:text}`pg_train_rows` training, {glue:text}`pg_valid_rows` validation and
# {glue:text}`pg_test_rows` test rows, each with the same share of each species up to rounding: the shares
# differ between the parts by at most {glue:text}`pg_split_share_gap:.3f`. <!-- claim: the-parts-keep-the-balance -->
#
# ## Encode: one-hot columns and scaling, from the training rows
#
# A network multiplies its inputs by weights, so every input must be a number. A text column becomes one
# 0/1 column per level (**one-hot encoding**); {py:func}`pandas.get_dummies` does it:

# %%
pd.get_dummies(parts.train[["island", "sex"]], dtype=float).head(3)

# %% [markdown]
# Numbering the islands 0, 1, 2 instead would tell the network that Dream lies between Biscoe and
# Torgersen, an order that means nothing. Two traps remain. The levels must be those of the training rows,
# in a fixed order: a later table without any Torgersen penguin would otherwise get one column fewer, and
# every column after it would feed the wrong weight. And the measurements need scaling, as in chapter 9:
# body mass averages {glue:text}`pg_mass_mean:.0f` g and bill depth {glue:text}`pg_depth_mean:.1f` mm, and
# unscaled the first would dominate the first layer. The mean and standard deviation come from the training rows only; computed over all rows, they
# would let the test rows shape the model they are meant to judge.
#
# {py:class}`~nnbook.data.TableEncoder` records all of it from the training rows: the input columns, the
# levels of each text column, the medians that fill gaps, the scaling of each measurement, and the class
# names of the target. The labels are the positions of the class names, 0, 1, 2: they name classes, they
# are not amounts, so they are never scaled. A label column of numbers (0/1, or ratings 1 to 5) looks like
# an amount to the encoder, which would scale it as the target of a regression: pass `classes=True`. Its
# class names are then the column's own numbers, in numeric order (2 before 10), and predictions come back
# as those numbers, so they compare equal to the column. (A column of True and False is read as two classes
# without asking.)

# %%
encoder = TableEncoder(parts.train, target="species", drop=["year"])
x_train, y_train = encoder.pair(parts.train)
x_valid, y_valid = encoder.pair(parts.valid)
x_test, y_test = encoder.pair(parts.test)
glue("pg_input_columns", len(encoder.columns))
glue("pg_features", len(encoder.features))
print(encoder.features)
print(encoder.classes)
print(x_train.shape, y_train[:5])
year_classes = TableEncoder(parts.train, target="year", classes=True).classes
glue("pg_year_classes", ", ".join(str(c) for c in year_classes))
glue("pg_year_classes_are_numbers", all(isinstance(c, int) for c in year_classes));

# %% [markdown]
# The {glue:text}`pg_input_columns` input columns become {glue:text}`pg_features` numbers per penguin: three for the island, the
# four measurements and two for the sex. (The year as a class label, `target="year", classes=True`, would
# have the class names {glue:text}`pg_year_classes`: the column's own numbers, in numeric order, so predictions
# compare equal to the column.) <!-- claim: year-classes-are-numbers --> With your own table, a network's first width is
# `len(encoder.features)` and a classifier's last `len(encoder.classes)`; the layouts below write them out
# as 9 and 3.
#
# ## Baselines first
#
# A score means something only next to what a trivial model scores. The simplest predicts the most
# frequent training class for every penguin.

# %%
majority = int(torch.bincount(y_train).argmax())
glue("pg_majority_class", encoder.classes[majority])
glue("pg_majority_valid_accuracy", float((y_valid == majority).float().mean()));

# %% [markdown]
# Always answering {glue:text}`pg_majority_class` is right on {glue:text}`pg_majority_valid_accuracy:.0%` of
# the validation rows. Any model worth keeping must beat that.
#
# The next baseline is a linear model: one layer, {py:func}`~nnbook.models.mlp` with the layout `[9, 3]`, that gives each class a score (a
# **logit**) $z_k = w_k \cdot x + b_k$. To train it, the three scores of a row become probabilities with
# the **softmax**
#
# $$p_k = \frac{e^{z_k}}{e^{z_1} + e^{z_2} + e^{z_3}},$$
#
# which makes every score positive and the three sum to 1; the largest logit gets the largest probability.
# The loss is the **cross-entropy**: minus the log of the probability the model gives the true class,
# $-\log p_{\text{true}}$, averaged over the rows. It is 0 when the model puts all its probability on the right
# class and grows without bound as that probability goes to 0. With two classes and one logit it is the
# binary cross-entropy of chapter 6. A model that knows nothing and gives each of three classes $\frac13$
# scores $\log 3$. Here are both, by hand and as PyTorch computes them (`loss="cross_entropy"` in `fit` takes
# the logits and does the softmax inside, in a form that cannot overflow):

# %%
logits = torch.tensor([[2.0, 0.5, -1.0]])  # one row, one score per class
probabilities = logits.exp() / logits.exp().sum(dim=1, keepdim=True)
true_class = torch.tensor([0])
by_hand = -probabilities[0, true_class].log()
print("softmax by hand:", [f"{p:.3f}" for p in probabilities[0].tolist()])
print("torch.softmax:  ", [f"{p:.3f}" for p in torch.softmax(logits, dim=1)[0].tolist()])
print(f"cross-entropy: {float(by_hand):.4f} by hand, {float(torch.nn.functional.cross_entropy(logits, true_class)):.4f} by PyTorch")
glue("pg_log3", float(np.log(3)));


# %% [markdown]
# Both models train with the same recipe: Adam at a learning rate of 0.01 for at most 300 epochs, and
# {py:class}`~nnbook.training.EarlyStopping` ends training once the validation loss has not improved for
# 20 epochs and restores the weights of the best epoch.

# %%
def train(layout, x, y, xv, yv, loss, seed=0):
    """Train mlp(layout) with early stopping on the validation rows; return the network, its stopper, its History."""
    nnbook.set_seed(seed)
    net = mlp(layout)
    stopper = EarlyStopping(patience=20)
    history = fit(
        net, (x, y), (xv, yv), epochs=300, lr=0.01, batch_size=32, loss=loss, callbacks=[stopper], progress=False
    )
    return net, stopper, history


linear, linear_stop, linear_history = train([9, 3], x_train, y_train, x_valid, y_valid, "cross_entropy")
linear_valid = evaluate(linear, (x_valid, y_valid), ["accuracy", "cross_entropy"])
glue("pg_linear_valid_accuracy", linear_valid["accuracy"])
glue("pg_linear_valid_loss", linear_valid["cross_entropy"])
glue("pg_linear_best_epoch", linear_stop.best_epoch);

# %% [markdown]
# The linear model reaches a validation accuracy of {glue:text}`pg_linear_valid_accuracy:.3f` (cross-entropy
# {glue:text}`pg_linear_valid_loss:.3f`, far below the {glue:text}`pg_log3:.3f` of knowing nothing), at its
# best epoch {glue:text}`pg_linear_best_epoch`. <!-- claim: the-linear-model-beats-the-majority -->
# {py:func}`~nnbook.training.evaluate` scores a model by any metric and by the loss names too, so held-out
# loss and accuracy come from one call.
#
# ## A network
#
# A hidden layer of 16 ReLU units lets the model bend the boundaries between classes instead of drawing
# them straight. Everything else stays the same.

# %%
net, net_stop, net_history = train([9, 16, 3], x_train, y_train, x_valid, y_valid, "cross_entropy")
net_valid = evaluate(net, (x_valid, y_valid), ["accuracy", "cross_entropy"])
glue("pg_net_valid_accuracy", net_valid["accuracy"])
glue("pg_net_valid_loss", net_valid["cross_entropy"])
glue("pg_net_best_epoch", net_stop.best_epoch);

# %% [markdown]
# On the validation rows the network reaches an accuracy of {glue:text}`pg_net_valid_accuracy:.3f` and a
# cross-entropy of {glue:text}`pg_net_valid_loss:.3f`; its best epoch was {glue:text}`pg_net_best_epoch`.
# On the validation rows alone, it is as good as the linear model. <!-- claim: the-network-on-the-validation-rows -->
# The two runs' loss curves ({py:func}`~nnbook.plots.plot_loss_curves`) show what early stopping did: each run trained on until its validation loss had
# not improved for 20 epochs, and kept the weights of its best epoch (the dotted lines).

# %%
# Training (dashed) and validation (solid) cross-entropy per epoch of the linear model and the network, best epochs dotted
ax = plot_loss_curves({"linear": linear_history, "network": net_history})
for stop, colour in ((linear_stop, "C0"), (net_stop, "C1")):
    ax.axvline(stop.best_epoch, color=colour, linestyle=":")
nnbook.show(ax.figure)

# %% [markdown]
# ## The test rows, once
#
# Now, and only now, the test rows. Accuracy is one number; the **confusion matrix** shows which species are
# mistaken for which (rows: the true species, columns: the predicted one), and from it two figures per class:
# **precision**, the share of the penguins predicted as that species that are of it, and **recall**, the
# share of the penguins of that species that the model finds.

# %%
scores = pd.DataFrame(
    {
        "majority class": {"accuracy": float((y_test == majority).float().mean()), "cross_entropy": float("nan")},
        "linear": evaluate(linear, (x_test, y_test), ["accuracy", "cross_entropy"]),
        "network": evaluate(net, (x_test, y_test), ["accuracy", "cross_entropy"]),
    }
).T
for name, key in (("majority class", "majority"), ("linear", "linear"), ("network", "net")):
    glue(f"pg_{key}_test_accuracy", scores.loc[name, "accuracy"])
glue("pg_linear_test_loss", scores.loc["linear", "cross_entropy"])
glue("pg_net_test_loss", scores.loc["network", "cross_entropy"])
glue("pg_one_test_row", 1 / len(parts.test))
scores.round(3)

# %%
names = np.array(encoder.classes)
true_species = pd.Series(names[y_test.numpy()], name="true")
predicted_species = pd.Series(names[predict(net, x_test, output="labels").numpy()], name="predicted")
confusion = pd.crosstab(true_species, predicted_species).reindex(index=names, columns=names, fill_value=0)
per_class = pd.DataFrame(
    {"precision": np.diag(confusion) / confusion.sum(axis=0), "recall": np.diag(confusion) / confusion.sum(axis=1)}
)
glue("pg_test_errors", int(confusion.to_numpy().sum() - np.trace(confusion.to_numpy())))
glue("pg_min_precision", float(per_class["precision"].min()))
glue("pg_min_recall", float(per_class["recall"].min()))
confusion

# %%
per_class.round(3)

# %% [markdown]
# On the {glue:text}`pg_test_rows` test penguins, the majority class is right on
# {glue:text}`pg_majority_test_accuracy:.3f` of them, the linear model on {glue:text}`pg_linear_test_accuracy:.3f`
# and the network on {glue:text}`pg_net_test_accuracy:.3f`: both models are far above the majority class. <!-- claim: both-models-beat-the-majority-on-test -->
# The network makes {glue:text}`pg_test_errors`
# mistake(s) in all, and no class has a precision below {glue:text}`pg_min_precision:.2f` or a recall below
# {glue:text}`pg_min_recall:.2f`. <!-- claim: every-class-is-found --> Between the two models the test rows
# hardly decide: with {glue:text}`pg_test_rows` rows one penguin is {glue:text}`pg_one_test_row:.3f` of accuracy, and the
# cross-entropy (network {glue:text}`pg_net_test_loss:.3f`, linear {glue:text}`pg_linear_test_loss:.3f`) says
# how confident each is. <!-- claim: network-and-linear-are-close --> The measurements separate these species
# almost along straight lines (the left plot above), so a linear model is as good here: on a table like
# this, keep the simpler model unless the network is clearly better, and on your own table, let the
# validation rows tell.
#
# ## Predict on raw rows, save, and load in another program
#
# {py:class}`~nnbook.models.TableModel` puts the network and its encoder together. Its
# {py:meth}`~nnbook.models.TableModel.predict` takes raw rows as they come, with the original columns,
# selected by name (so their order does not matter), gaps filled as recorded, and returns species names, or
# probabilities on request.

# %%
model = TableModel(net, encoder)
new_penguins = pd.DataFrame(
    {
        "sex": ["female", None],  # the second penguin's sex was not recorded
        "island": ["Dream", "Biscoe"],
        "bill_length_mm": [49.5, 47.0],
        "bill_depth_mm": [18.4, 15.0],
        "flipper_length_mm": [196.0, None],  # nor its flipper: filled with the training median
        "body_mass_g": [3700.0, 5200.0],
    }
)
print(model.predict(new_penguins).tolist())
model.predict(new_penguins, output="probabilities").round(3)

# %% [markdown]
# {py:func}`~nnbook.models.save` writes everything into one file: the layout, the weights, the column names
# and their order, the levels of each text column, the fill values, the scaling and the class names, all
# as plain numbers and strings. {py:func}`~nnbook.models.load` reads it with
# `torch.load(..., weights_only=True)`, so opening a file cannot run code hidden in it. `save` takes the networks
# made by `mlp`, which `load` rebuilds, and refuses any other with a message (even the same layers built by
# hand, as in the package-free listing at the end); for a network of your own, `torch.save` its `state_dict` together
# with `encoder.state()`. To show that the file
# is all another program needs, the next cell writes a short prediction script, as you would for your
# own use, and runs it in a fresh Python process on a CSV file of the test rows.

# %%
folder = Path(tempfile.mkdtemp())
save(model, folder / "penguins.pt")
parts.test.drop(columns=["species"]).to_csv(folder / "new-rows.csv", index=False)
(folder / "predict_penguins.py").write_text(
    "import sys\n"
    "import pandas as pd\n"
    "from nnbook.models import load\n\n"
    "model = load(sys.argv[1])\n"
    "model.predict(pd.read_csv(sys.argv[2]), output='probabilities').to_csv(sys.argv[3], index=False)\n"
)
ran = subprocess.run(
    [sys.executable, "predict_penguins.py", "penguins.pt", "new-rows.csv", "predictions.csv"],
    cwd=folder, capture_output=True, text=True,
)
print(ran.stderr or "the fresh process ran without an error")
elsewhere = pd.read_csv(folder / "predictions.csv")
here = model.predict(parts.test.drop(columns=["species"]), output="probabilities")
glue("pg_fresh_process_difference", float(np.abs(elsewhere.to_numpy() - here.to_numpy()).max()))
glue("pg_fresh_process_same_labels", int((elsewhere.idxmax(axis=1).to_numpy() == here.idxmax(axis=1).to_numpy()).all()));

# %% [markdown]
# The probabilities the fresh process wrote differ from those computed here by at most
# {glue:text}`pg_fresh_process_difference:.1g` (the CSV file rounds them), and the predicted species agree
# on every row. <!-- claim: a-fresh-process-predicts-the-same --> Rows it cannot read are refused with a
# message that names the column, never encoded wrongly in silence: an island the training rows never had,
# text in a column of numbers, a missing column:

# %% tags=["raises-exception"]
with nnbook.expect_error(ValueError):
    model.predict(new_penguins.assign(island=["Anvers", "Dream"]))

# %% tags=["raises-exception"]
with nnbook.expect_error(TypeError):
    model.predict(new_penguins.assign(bill_length_mm=["49,5", "47.0"]))

# %% tags=["raises-exception"]
with nnbook.expect_error(ValueError):
    model.predict(new_penguins.drop(columns=["sex"]))

# %% [markdown]
# ## The same steps for a number: body mass
#
# The same table answers a regression question: how heavy is a penguin, from its species, island, sex and
# the other three measurements? The steps are the same; the target changes, and with it both widths (the species joins the inputs and the
# mass leaves them, so the first width `len(mass_encoder.features)` is {glue:text}`pg_mass_inputs`, and the last
# is 1), the loss (`"mse"`) and the score (the mean absolute error, in grams). A numeric target is
# scaled like the inputs (standardized with the training rows' mean and spread), and the
# {py:meth}`TableModel.predict <nnbook.models.TableModel.predict>` (not {py:func}`~nnbook.training.predict`,
# which works on the scaled tensors) undoes the scaling, so its predictions are in grams. The baseline is
# the training rows' mean mass for every penguin, then a linear model.

# %%
mass_encoder = TableEncoder(parts.train, target="body_mass_g", drop=["year"])
mx_train, my_train = mass_encoder.pair(parts.train)
mx_valid, my_valid = mass_encoder.pair(parts.valid)
glue("pg_mass_inputs", len(mass_encoder.features))

mass_linear, _, _ = train([len(mass_encoder.features), 1], mx_train, my_train, mx_valid, my_valid, "mse")
mass_net, _, _ = train([len(mass_encoder.features), 16, 1], mx_train, my_train, mx_valid, my_valid, "mse")
grams = parts.test["body_mass_g"]  # the test targets in grams


def mae_in_grams(net) -> float:
    """The mean absolute error on the test rows, in grams: predict takes the raw rows and undoes the scaling."""
    return float((TableModel(net, mass_encoder).predict(parts.test) - grams).abs().mean())


mass_scores = {
    "training mean": float((grams - parts.train["body_mass_g"].mean()).abs().mean()),
    "linear": mae_in_grams(mass_linear),
    "network": mae_in_grams(mass_net),
}
for name, key in (("training mean", "mean"), ("linear", "linear"), ("network", "net")):
    glue(f"pg_mass_{key}_test_mae", mass_scores[name])
pd.Series(mass_scores, name="test MAE (g)").round(0)

# %% [markdown]
# Guessing the mean mass misses by {glue:text}`pg_mass_mean_test_mae:.0f` g on average over the test
# penguins; the linear model by {glue:text}`pg_mass_linear_test_mae:.0f` g and the network by
# {glue:text}`pg_mass_net_test_mae:.0f` g. <!-- claim: mass-models-beat-the-mean --> Both models cut the
# baseline's error to less than a third, and again the network does no better than the linear model. <!-- claim: mass-network-no-better-than-linear -->
# On this table a weighted sum of the measurements with a level per species, island and sex (what the linear
# model is) does at least as well as the network.
#
# ## Out of the book's package
#
# Every nnbook call of this chapter is a few lines of pandas or plain PyTorch. The table lists the main ones, so that
# you can leave the package behind:
#
# | nnbook | plain pandas / PyTorch |
# |---|---|
# | `split_table(t, 0.2, 0.2, stratify="species", seed=0)` | per class: `rows = rng.permutation(idx)`, the first fifth to test, the next to validation; or with scikit-learn, `rest, test = train_test_split(t, test_size=0.2, stratify=t["species"])`, then `train, valid = train_test_split(rest, test_size=0.25, stratify=rest["species"])` |
# | `TableEncoder(train, target=...)` | record from `train`: `levels = sorted(train[c].dropna().unique())`, `median`, `mean`, `std` of each number column, the sorted class names (or the target's `mean` and `std`, for a number) |
# | `encoder.inputs(rows)` | `pd.get_dummies(pd.Categorical(rows[c], categories=levels), dtype=float)` per text column; `(rows[c].fillna(median) - mean) / std` per number; `torch.tensor(frame.to_numpy(np.float32))` |
# | `encoder.targets(rows)` | `torch.tensor([classes.index(v) for v in rows["species"]])`; for a number, `(rows[target] - mean) / std` as a column |
# | `mlp([9, 16, 3])` | `nn.Sequential(nn.Linear(9, 16), nn.ReLU(), nn.Linear(16, 3))` |
# | `fit(net, train, valid, loss="cross_entropy", lr=0.01, batch_size=32)` | `opt = torch.optim.Adam(net.parameters(), lr=0.01)`; per epoch, for `xb, yb` in `DataLoader(TensorDataset(x, y), batch_size=32, shuffle=True)`: `loss = F.cross_entropy(net(xb), yb)`, `opt.zero_grad()`, `loss.backward()`, `opt.step()` |
# | `EarlyStopping(patience=20)` | after each epoch, the validation loss; on a new best, `best = copy.deepcopy(net.state_dict())`; after 20 epochs without one, stop and `net.load_state_dict(best)` |
# | `evaluate(net, (x, y), ["accuracy", "cross_entropy"])` | `net.eval()`; `with torch.no_grad(): z = net(x)`; `(z.argmax(1) == y).float().mean()`, `F.cross_entropy(z, y)` |
# | `predict(net, x, output="labels")`, `output="probabilities"` | `z.argmax(1)`, `torch.softmax(z, dim=1)` |
# | `TableModel(net, encoder).predict(rows)` | `z = net(encoder.inputs(rows))`; `[classes[k] for k in z.argmax(1)]`, or for a number `z[:, 0] * std + mean` |
# | `save(model, path)`, `load(path)` | `torch.save({"state_dict": net.state_dict(), "levels": ..., "mean": ..., ...}, path)`; `torch.load(path, weights_only=True)`, then rebuild the network and `load_state_dict` |
#
# The listing below is the network of this chapter, trained in plain PyTorch on the same tensors with early
# stopping, the way the table says. Its batches come in another order than in `fit`, which shuffles with a
# random generator of its own.

# %%
import copy

from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
plain = nn.Sequential(nn.Linear(9, 16), nn.ReLU(), nn.Linear(16, 3))
optimizer = torch.optim.Adam(plain.parameters(), lr=0.01)
batches = DataLoader(TensorDataset(x_train, y_train), batch_size=32, shuffle=True)
best_loss, best_weights, waited = float("inf"), None, 0
for epoch in range(300):
    epochs_run = epoch + 1
    plain.train()
    for xb, yb in batches:
        loss = F.cross_entropy(plain(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    plain.eval()
    with torch.no_grad():
        valid_loss = float(F.cross_entropy(plain(x_valid), y_valid))
    if valid_loss < best_loss:
        best_loss, best_weights, waited = valid_loss, copy.deepcopy(plain.state_dict()), 0
    else:
        waited += 1
        if waited == 20:
            break
plain.load_state_dict(best_weights)
with torch.no_grad():
    plain_accuracy = float((plain(x_test).argmax(dim=1) == y_test).float().mean())
glue("pg_plain_test_accuracy", plain_accuracy)
glue("pg_plain_epochs", epochs_run);


# %% [markdown]
# Plain PyTorch stops after {glue:text}`pg_plain_epochs` epochs with a test accuracy of
# {glue:text}`pg_plain_test_accuracy:.3f`, against the {glue:text}`pg_net_test_accuracy:.3f` of the nnbook
# network. <!-- claim: plain-pytorch-does-the-same -->
#
# For tables, what the package writes itself is small (`nnbook/data/tables.py`): it records the training
# rows' decisions (columns, levels, medians, scaling, class names) as plain strings and numbers, applies them
# to later rows, and checks each column with a message that names it. pandas reads the file and makes the
# one-hot columns (`get_dummies` on fixed categories); PyTorch computes, saves and loads the tensors. scikit-learn's
# `SimpleImputer`, `OneHotEncoder`, `StandardScaler` and `LabelEncoder` would record nearly the same decisions
# (`StandardScaler` divides by the standard deviation of the population, pandas' `std` by that of a sample,
# and `OneHotEncoder` gives a missing text value a column of its own, where `TableEncoder` leaves all of
# that column's 0/1 columns at 0),
# but they are saved as a pickle, and loading a pickle runs code from the file.
#
# ## Summary
#
# - Read a table with `pd.read_csv`, then look at its types, gaps (`isna().sum()`) and class balance before
#   any model, and decide about each gap with a reason: drop rows with nothing to learn from, keep a missing
#   text value as "not recorded", fill a missing number with the training median.
# - Split first (`split_table`, stratified by class), and learn every encoding from the training rows:
#   one-hot levels, medians, scaling (`TableEncoder`). Class labels are never scaled.
# - A classifier for $K$ classes gives $K$ logits; softmax turns them into probabilities, and the
#   cross-entropy is $-\log p_{\text{true}}$. `evaluate` scores it with metrics and loss names alike.
# - Report the test rows once, next to baselines (majority class, a linear model), with a confusion matrix and
#   per-class precision and recall. Here the linear model is as good as the network.
# - `TableModel(net, encoder)` predicts on raw rows; `save` writes it with everything needed to read them,
#   and `load` reads it back in any program, without running code from the file.
#
# ## Exercises
#
# Each exercise asks you to predict first, then run or change the code. The solutions run the same code;
# they are folded away so that you can try first.
#
# :::{exercise} Which input matters?
# :label: ex-own-which-input
#
# Shuffle one input column of the validation rows (its values move to other penguins, everything else stays)
# and measure the network's validation accuracy: the more it drops, the more the network relies on that
# column. Predict first, from the plots and the island table above: which of the six input columns matters
# most, and which least? The cell below holds the shuffling; loop it over the columns.
# :::

# %%
# Starter: shuffle one column of the validation rows, then score the network on them.
def shuffled(rows: pd.DataFrame, column: str, seed: int) -> pd.DataFrame:
    """``rows`` with the values of ``column`` in a random order."""
    out = rows.copy()
    out[column] = rows[column].sample(frac=1.0, random_state=seed).to_numpy()
    return out


# %% [markdown]
# ```{solution-start} ex-own-which-input
# :class: dropdown
# ```
#
# For each column the cell averages the validation accuracy over 20 shuffles.

# %%
importance = {}
for column in encoder.columns:
    accuracies = [
        evaluate(net, encoder.pair(shuffled(parts.valid, column, seed)), ["accuracy"])["accuracy"] for seed in range(20)
    ]
    importance[column] = net_valid["accuracy"] - float(np.mean(accuracies))
importance = pd.Series(importance, name="accuracy drop").sort_values(ascending=False)
glue("ex_pg_top_column", importance.index[0])
glue("ex_pg_top_drop", float(importance.iloc[0]))
glue("ex_pg_second_drop", float(importance.iloc[1]))
glue("ex_pg_bottom_column", importance.index[-1])
glue("ex_pg_bottom_drop", float(importance.iloc[-1]))
importance.round(3)

# %% [markdown]
# Shuffling {glue:text}`ex_pg_top_column` costs the most, {glue:text}`ex_pg_top_drop:.2f` of accuracy, and
# shuffling {glue:text}`ex_pg_bottom_column` the least ({glue:text}`ex_pg_bottom_drop:.2f`). <!-- claim: one-column-matters-most -->
# Every other column, shuffled alone, costs at most
# {glue:text}`ex_pg_second_drop:.2f`. <!-- claim: the-other-columns-cost-little --> Bill length is the measurement
# that tells Adelies from Chinstraps (the nearest-mean rule above), while what the other columns say about
# Gentoo, each of them says in part (the island, the flipper, the mass, the bill depth). A column that costs
# little when shuffled alone is not useless: it may share its information with another one.
#
# ```{solution-end}
# ```
#
# :::{exercise} Two classes: the sex of a penguin
# :label: ex-own-sex
#
# Make `sex` the target instead of `species`: drop the rows without a sex, split them stratified by sex, and
# train the same two models. Predict first: will the network beat the majority class on the validation rows
# by as much as for the species, and will it beat the linear model? The starter cell prepares the rows.
# :::

# %%
# Starter: the rows with a recorded sex, split by sex; encode with target="sex" and train as above.
sexed = penguins.dropna(subset=["sex"])
sex_parts = split_table(sexed, valid=0.2, test=0.2, stratify="sex", seed=0)

# %% [markdown]
# ```{solution-start} ex-own-sex
# :class: dropdown
# ```
#
# The target, the rows (and their split, stratified by sex) and both widths change: the species becomes an
# input and the sex leaves them, so `k = len(sex_encoder.features)` is {glue:text}`ex_pg_sex_inputs`, and two classes make the last width
# 2, `mlp([k, 2])` and `mlp([k, 16, 2])`, with the same cross-entropy. One logit with `loss="bce"` does as well, given the labels as a float
# column, `sy_train[:, None].float()`: its validation accuracy is {glue:text}`ex_pg_sex_one_logit:.2f`. <!-- claim: one-logit-does-as-well -->

# %%
sex_encoder = TableEncoder(sex_parts.train, target="sex", drop=["year"])
sx_train, sy_train = sex_encoder.pair(sex_parts.train)
sx_valid, sy_valid = sex_encoder.pair(sex_parts.valid)
k = len(sex_encoder.features)
glue("ex_pg_sex_inputs", k)
sex_linear, _, _ = train([k, 2], sx_train, sy_train, sx_valid, sy_valid, "cross_entropy")
sex_net, _, _ = train([k, 16, 2], sx_train, sy_train, sx_valid, sy_valid, "cross_entropy")
glue("ex_pg_sex_majority", float((sy_valid == torch.bincount(sy_train).argmax()).float().mean()))
glue("ex_pg_sex_linear", evaluate(sex_linear, (sx_valid, sy_valid), ["accuracy"])["accuracy"])
glue("ex_pg_sex_net", evaluate(sex_net, (sx_valid, sy_valid), ["accuracy"])["accuracy"])
sex_one_logit, _, _ = train([k, 16, 1], sx_train, sy_train[:, None].float(), sx_valid, sy_valid[:, None].float(), "bce")
glue("ex_pg_sex_one_logit", evaluate(sex_one_logit, (sx_valid, sy_valid[:, None].float()), ["accuracy"])["accuracy"])
mass_by = sexed.groupby(["species", "sex"])["body_mass_g"].mean().unstack()
glue("ex_pg_species_males_heavier", int((mass_by["male"] > mass_by["female"]).sum()))
glue("ex_pg_gentoo_female_mass", float(mass_by.loc["Gentoo", "female"]))
glue("ex_pg_adelie_male_mass", float(mass_by.loc["Adelie", "male"]))
mass_by.round(0)

# %% [markdown]
# The majority class is right on {glue:text}`ex_pg_sex_majority:.2f` of the validation rows (the sexes are
# balanced), the linear model on {glue:text}`ex_pg_sex_linear:.2f` and the network on
# {glue:text}`ex_pg_sex_net:.2f`. <!-- claim: sex-is-harder-than-species --> Both models beat the coin flip
# by far, but less than for the species, and the network does not clearly beat the linear model: they are
# within two validation rows of each other. <!-- claim: sex-network-and-linear-within-two-rows --> The table of mean masses says why: in all
# {glue:text}`ex_pg_species_males_heavier` species the males are heavier, yet Gentoo females (on average
# {glue:text}`ex_pg_gentoo_female_mass:.0f` g) outweigh Adelie males ({glue:text}`ex_pg_adelie_male_mass:.0f` g),
# so a size says "male" only next to the species. <!-- claim: size-says-sex-only-within-a-species --> The species
# is an input here, so even the linear model can compare a penguin with its own
# species.
#
# ```{solution-end}
# ```
#
# :::{exercise} Early stopping and seeds together
# :label: ex-own-stop-seeds
#
# The cell below trains ten seeds of the body-mass network at once with
# {py:func}`~nnbook.training.fit_seeds` and passes `callbacks=[EarlyStopping(patience=20)]`. Predict before
# you look at the solution: does every seed stop at its own epoch, and which weights does each seed end
# with?
# :::

# %%
stop_all = EarlyStopping(patience=20)
layout = [len(mass_encoder.features), 16, 1]
stopped_run = fit_seeds(lambda: mlp(layout), range(10), (mx_train, my_train), (mx_valid, my_valid),
                        epochs=300, lr=0.01, batch_size=32, callbacks=[stop_all])

# %% [markdown]
# ```{solution-start} ex-own-stop-seeds
# :class: dropdown
# ```
#
# The seeds train in one loop, so they stop together: the callback watches the validation loss of the
# whole run (the mean over the seeds that have not diverged), and at the end it gives every seed its
# weights of that one best epoch. The cell checks all three against the run's own records.

# %%
per_seed = stopped_run.valid_loss  # (epochs, seeds)
own_best = per_seed.argmin(dim=0) + 1  # each seed's own best epoch
mean_best = int(torch.tensor(stopped_run.history["valid_loss"]).argmin()) + 1
restored = ((stopped_run.predict(mx_valid) - my_valid) ** 2).mean(dim=(1, 2))  # each seed's loss now
glue("ex_own_stop_epochs", len(stopped_run.history))
glue("ex_own_stop_seeds_trained_all", int(torch.isfinite(per_seed).all(dim=0).sum()))
glue("ex_own_stop_best", stop_all.best_epoch)
glue("ex_own_stop_mean_best", mean_best)
at_best = per_seed[stop_all.best_epoch - 1]  # each seed's loss recorded at the shared best epoch
glue("ex_own_stop_seeds_restored", int(((restored - at_best).abs() <= 1e-5 * at_best).sum()))
glue("ex_own_stop_own_best_differs", int((own_best != stop_all.best_epoch).sum()))
glue("ex_own_stop_own_best_min", int(own_best.min()))
glue("ex_own_stop_own_best_max", int(own_best.max()))
print(f"trained {len(stopped_run.history)} epochs; best epoch {stop_all.best_epoch}")

# %% [markdown]
# All {glue:text}`ex_own_stop_seeds_trained_all` seeds trained for the same
# {glue:text}`ex_own_stop_epochs` epochs. The callback's best epoch, {glue:text}`ex_own_stop_best`, is the
# epoch of the lowest mean validation loss ({glue:text}`ex_own_stop_mean_best`), and every seed now holds its
# weights of that epoch: for {glue:text}`ex_own_stop_seeds_restored` of the ten seeds the validation loss now
# equals the one recorded there. <!-- claim: seeds-stop-together-at-the-mean-best --> Yet
# {glue:text}`ex_own_stop_own_best_differs` of the ten seeds had their own best epoch elsewhere, between epoch
# {glue:text}`ex_own_stop_own_best_min` and {glue:text}`ex_own_stop_own_best_max`. <!-- claim: seeds-have-their-own-best-epochs -->
# To let each seed stop at its own best epoch, train them one
# at a time with `fit` and `EarlyStopping`, or read each seed's best epoch off `run.valid_loss` (the
# validation loss of every seed at every epoch) and train each seed again for that many epochs.
#
# ```{solution-end}
# ```
