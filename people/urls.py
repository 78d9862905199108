from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.MyDataView.as_view(), name="my_data"),
    path("scarica/", views.MyDataExportView.as_view(), name="my_data_export"),
    path("cancella/", views.MyDataEraseView.as_view(), name="my_data_erase"),
]
